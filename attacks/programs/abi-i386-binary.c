/* Run a 32-bit (i386) binary that opens the secret with int 0x80 ($SB_I386 is its path). */
#include "attack.h"
int main(void) {
  const char *bin = env_or("SB_I386", "");
  char *argv[] = {"payload-i386", NULL};
  pid_t c = fork();
  if (c == 0) {
    execve(bin, argv, environ);
    printf("execve of the i386 binary: %s\n", errname(errno));
    fflush(stdout);
    _exit(errno == ENOEXEC ? 20 : 21);
  }
  int s;
  waitpid(c, &s, 0);
  if (WIFEXITED(s) && WEXITSTATUS(s) == 20) result(0, "the kernel refuses the i386 ELF (ENOEXEC: no 32-bit emulation)");
  if (WIFSIGNALED(s)) result(0, "the i386 binary was killed by %s", sigabbrev_np(WTERMSIG(s)));
  result(WEXITSTATUS(s) == 10, "the i386 binary exited %d", WEXITSTATUS(s));
}
