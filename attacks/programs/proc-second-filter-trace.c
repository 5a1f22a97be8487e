/* Install our own seccomp filter answering SECCOMP_RET_TRACE with chosen data for every call:
   for equal actions the newest filter's data wins, so the supervisor sees our data, not sb's. */
#include "attack.h"
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
static int try_data(unsigned data) {
  pid_t c = fork();
  if (c == 0) {
    struct sock_filter f[] = {BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | data)};
    struct sock_fprog p = {1, f};
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p) != 0) _exit(12);
    int r = read_secret_path("vault/secret");
    int fd = creat("protected/x", 0644);
    _exit(r > 0 || fd >= 0 ? 10 : 11);
  }
  int s;
  waitpid(c, &s, 0);
  printf("RET_TRACE|0x%x: %s\n", data, WIFEXITED(s) ? (WEXITSTATUS(s) == 10 ? "got through" : WEXITSTATUS(s) == 12 ? "filter refused" : "denied") : "killed");
  fflush(stdout);
  return WIFEXITED(s) && WEXITSTATUS(s) == 10;
}
int main(void) {
  int a = try_data(0), b = try_data(0xffff), c = try_data(2);
  result(a || b || c, "a second filter returning SECCOMP_RET_TRACE with our own data");
}
