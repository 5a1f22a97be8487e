/* A second thread rewrites the path between the supervisor's read and the kernel's. */
#include "attack.h"
int main(void) {
  pthread_t t = race_start("public/decoy", "vault/secret", 13);
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end; n++) {
    int fd = open(race_buf, O_RDONLY);
    if (fd >= 0) {
      if (is_secret_fd(fd)) hits++;
      close(fd);
    }
    if (hits && !count_all()) break;
  }
  race_end(t);
  rate(hits, n);
  result(hits > 0, "open race: %ld of %ld opens read the secret", hits, n);
}
