/* A bounded fork bomb: every child tries to write protected/ at once; the tracer must keep up. */
#include "attack.h"
int main(void) {
  int max = atoi(env_or("SB_BOMB", "300")), n = 0, failed = 0;
  pid_t kids[4096];
  for (; n < max && n < 4096; n++) {
    pid_t p = fork();
    if (p == 0) {
      int fd = creat("protected/x", 0644);
      if (fd >= 0) write(1, "child wrote\n", 12);
      pause();
      _exit(0);
    }
    if (p < 0) {
      failed = errno;
      break;
    }
    kids[n] = p;
  }
  usleep(300000);
  for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
  for (int i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
  result(protected_written(), "%d children (%s)", n, failed ? errname(failed) : "bound reached");
}
