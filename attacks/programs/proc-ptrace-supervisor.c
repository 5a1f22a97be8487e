/* PTRACE_SEIZE the supervisor (our parent, outside the sandbox). Run in an isolated supervisor. */
#include "attack.h"
#include <sys/ptrace.h>
int main(void) {
  pid_t sup = getppid();
  long r = ptrace(PTRACE_SEIZE, sup, 0, 0);
  int e = errno;
  if (r == 0) ptrace(PTRACE_DETACH, sup, 0, 0);
  result(r == 0, "PTRACE_SEIZE of the supervisor (pid %d): %s", sup, r == 0 ? "attached" : errname(e));
}
