/* A process keeps swapping a symlink between an allowed file and the secret (atomic rename). */
#include "attack.h"
int main(void) {
  symlink("public/decoy", "swap-a");
  symlink("vault/secret", "swap-b");
  pid_t c = fork();
  if (c == 0) {
    for (;;) {
      symlink("public/decoy", "swap-a");
      rename("swap-a", "link");
      symlink("vault/secret", "swap-b");
      rename("swap-b", "link");
    }
  }
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = open("link", O_RDONLY);
    if (fd >= 0) {
      if (is_secret_fd(fd)) hits++;
      close(fd);
    }
  }
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  rate(hits, n);
  result(hits > 0, "symlink swap: %ld of %ld opens read the secret", hits, n);
}
