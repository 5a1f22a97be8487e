/* prctl(PR_SET_PTRACER, ANY) and let a child attach to us (we are already traced). */
#include "attack.h"
#include <sys/prctl.h>
#include <sys/ptrace.h>
int main(void) {
  int pr = prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  pid_t parent = getpid();
  pid_t c = fork();
  if (c == 0) {
    long r = ptrace(PTRACE_SEIZE, parent, 0, 0);
    _exit(r == 0 ? 10 : 11);
  }
  int s;
  waitpid(c, &s, 0);
  result(WIFEXITED(s) && WEXITSTATUS(s) == 10, "PR_SET_PTRACER %s; a child's PTRACE_SEIZE of its parent %s", pr == 0 ? "ok" : errname(errno), WEXITSTATUS(s) == 10 ? "worked" : "failed");
}
