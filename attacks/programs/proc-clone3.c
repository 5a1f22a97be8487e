/* clone3 with CLONE_UNTRACED (its flags sit in memory the tracer would have to read). */
#include "attack.h"
#include <linux/sched.h>
int main(void) {
  struct clone_args a;
  memset(&a, 0, sizeof a);
  a.flags = CLONE_UNTRACED;
  a.exit_signal = SIGCHLD;
  long c = syscall(SYS_clone3, &a, sizeof a);
  if (c == 0) {
    int r = read_secret_path("vault/secret");
    int fd = creat("protected/x", 0644);
    _exit(r > 0 || fd >= 0 ? 10 : 11);
  }
  if (c < 0) result(0, "clone3: %s", errname(errno));
  int s;
  waitpid((pid_t)c, &s, 0);
  result(WIFEXITED(s) && WEXITSTATUS(s) == 10, "the clone3 child exited %d", WEXITSTATUS(s));
}
