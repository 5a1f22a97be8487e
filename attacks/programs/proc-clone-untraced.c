/* clone(CLONE_UNTRACED): a child the tracer would not follow, which then reads the secret. */
#include "attack.h"
int main(void) {
  long c = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
  if (c == 0) {
    int r = read_secret_path("vault/secret");
    int fd = creat("protected/x", 0644);
    _exit(r > 0 || fd >= 0 ? 10 : 11);
  }
  if (c < 0) result(0, "clone(CLONE_UNTRACED): %s", errname(errno));
  int s;
  waitpid((pid_t)c, &s, 0);
  result(WIFEXITED(s) && WEXITSTATUS(s) == 10, "the CLONE_UNTRACED child %s", WEXITSTATUS(s) == 10 ? "got out" : "was still checked");
}
