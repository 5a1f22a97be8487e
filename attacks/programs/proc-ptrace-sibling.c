/* PTRACE_SEIZE a sibling sandboxed process (then it could rewrite its checked calls). */
#include "attack.h"
#include <sys/ptrace.h>
int main(void) {
  pid_t c = fork();
  if (c == 0) {
    pause();
    _exit(0);
  }
  long r = ptrace(PTRACE_SEIZE, c, 0, 0);
  int e = errno;
  long a = ptrace(PTRACE_ATTACH, c, 0, 0);
  int e2 = errno;
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  result(r == 0 || a == 0, "PTRACE_SEIZE of a sibling: %s, PTRACE_ATTACH: %s", r == 0 ? "ok" : errname(e), a == 0 ? "ok" : errname(e2));
}
