/* A sibling process changes into vault/ (a lookup) and the parent opens /proc/SIBLING/cwd/secret. */
#include "attack.h"
int main(void) {
  int pfd[2];
  pipe(pfd);
  pid_t c = fork();
  if (c == 0) {
    int ok = chdir("vault") == 0;
    write(pfd[1], ok ? "y" : "n", 1);
    pause();
    _exit(0);
  }
  char ok;
  read(pfd[0], &ok, 1);
  char p[64];
  snprintf(p, sizeof p, "/proc/%d/cwd/secret", c);
  int r = read_secret_path(p);
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  result(r > 0, "%s (sibling chdir %s): %s", p, ok == 'y' ? "ok" : "failed", r > 0 ? "secret read" : errname(-r));
}
