/* A symlink swapped between public/x and protected/x while the program creates through it. */
#include "attack.h"
int main(void) {
  pid_t c = fork();
  if (c == 0) {
    for (;;) {
      symlink("public/x", "swap-a");
      rename("swap-a", "link");
      symlink("protected/x", "swap-b");
      rename("swap-b", "link");
    }
  }
  long n = 0, hits = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = open("link", O_WRONLY | O_CREAT, 0644);
    if (is_protected_x(fd)) hits++;
    if (fd >= 0) close(fd);
    unlink("public/x");
  }
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  int hit = hits > 0 || protected_written();
  rate(hits, n);
  result(hit, "symlink swap (create): protected/x %s after %ld tries", hit ? "created" : "not created", n);
}
