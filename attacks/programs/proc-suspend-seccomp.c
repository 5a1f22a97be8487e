/* PTRACE_O_SUSPEND_SECCOMP on a child (needs being its tracer, and CAP_SYS_ADMIN). */
#include "attack.h"
#include <sys/ptrace.h>
int main(void) {
  pid_t c = fork();
  if (c == 0) {
    raise(SIGSTOP);
    int fd = creat("protected/x", 0644);
    _exit(fd >= 0 ? 10 : 11);
  }
  int st;
  waitpid(c, &st, WUNTRACED); /* stopped: the SIGCONT below must come after the stop */
  long r = ptrace(PTRACE_SEIZE, c, 0, (void *)(long)PTRACE_O_SUSPEND_SECCOMP);
  int e = errno;
  kill(c, SIGCONT);
  int s;
  waitpid(c, &s, 0);
  result(r == 0 || protected_written(), "PTRACE_SEIZE with PTRACE_O_SUSPEND_SECCOMP: %s", r == 0 ? "ok" : errname(e));
}
