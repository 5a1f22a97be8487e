/* A forked child rewrites the parent's path buffer with process_vm_writev (no shared thread). */
#include "attack.h"
#include <sys/prctl.h>
#include <sys/uio.h>
static char path[16] = "public/decoy";
int main(void) {
  prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0);
  pid_t parent = getpid();
  pid_t c = fork();
  if (c == 0) {
    static char a[13] = "public/decoy", b[13] = "vault/secret";
    struct iovec ra = {path, 13};
    struct iovec la = {a, 13}, lb = {b, 13};
    for (;;) {
      if (process_vm_writev(parent, &la, 1, &ra, 1, 0) < 0) {
        printf("process_vm_writev: %s\n", errname(errno));
        fflush(stdout);
        _exit(2);
      }
      process_vm_writev(parent, &lb, 1, &ra, 1, 0);
    }
  }
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = open(path, O_RDONLY);
    if (fd >= 0) {
      if (is_secret_fd(fd)) hits++;
      close(fd);
    }
  }
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  rate(hits, n);
  result(hits > 0, "process_vm_writev race: %ld of %ld opens read the secret", hits, n);
}
