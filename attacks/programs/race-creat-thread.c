/* creat() with a path rewritten by another thread after the check. */
#include "attack.h"
int main(void) {
  pthread_t t = race_start("public/x\0\0\0", "protected/x", 12);
  long n = 0, hits = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = creat(race_buf, 0644);
    if (is_protected_x(fd)) hits++;
    if (fd >= 0) close(fd);
    unlink("public/x");
  }
  race_end(t);
  int hit = hits > 0 || protected_written();
  rate(hits, n);
  result(hit, "creat race: protected/x %s after %ld tries", hit ? "created" : "not created", n);
}
