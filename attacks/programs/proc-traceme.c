/* PTRACE_TRACEME in a child: become traced by our own parent instead of the supervisor. */
#include "attack.h"
#include <sys/ptrace.h>
int main(void) {
  pid_t c = fork();
  if (c == 0) {
    long r = ptrace(PTRACE_TRACEME, 0, 0, 0);
    printf("PTRACE_TRACEME: %s\n", r == 0 ? "ok" : errname(errno));
    fflush(stdout);
    _exit(r == 0 ? 10 : 11);
  }
  int s;
  waitpid(c, &s, 0);
  result(WIFEXITED(s) && WEXITSTATUS(s) == 10, "PTRACE_TRACEME in a child");
}
