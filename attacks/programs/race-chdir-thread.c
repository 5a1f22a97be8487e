/* chdir() into a stat-denied directory by flipping the path after the check. */
#include "attack.h"
int main(void) {
  int home = open(".", O_PATH | O_DIRECTORY);
  pthread_t t = race_start("public", "hidden", 7);
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  char cwd[4096];
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    if (chdir(race_buf) == 0) {
      if (getcwd(cwd, sizeof cwd) && strstr(cwd, "/hidden")) hits++;
      fchdir(home);
    }
  }
  race_end(t);
  rate(hits, n);
  result(hits > 0, "chdir race: entered hidden/ %ld times in %ld tries", hits, n);
}
