/* execve() of a path another thread flips between an allowed and a denied program. */
#include "attack.h"
int main(void) {
  long n = 0, hits = 0, children = 0, max = race_tries();
  double end = now() + race_seconds();
  struct stat st;
  for (; n < max && now() < end && (!hits || count_all()); children++) {
    pid_t p = fork();
    if (p == 0) {
      race_start("/usr/bin/true\0", "./denied-exec\0", 14);
      char *argv[] = {"x", NULL};
      for (int i = 0; i < 200; i++) execve(race_buf, argv, environ);
      _exit(3);
    }
    int s;
    waitpid(p, &s, 0);
    n += 1;
    if (stat("exec-marker", &st) == 0) {
      hits++;
      if (count_all()) unlink("exec-marker");
    }
  }
  int hit = hits > 0;
  if (count_all() && hit) close(open("exec-marker", O_WRONLY | O_CREAT, 0644));
  rate(hits, n);
  result(hit, "exec race: denied-exec %s in %ld children", hit ? "ran" : "never ran", children);
}
