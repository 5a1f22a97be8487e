/* execve("/proc/self/fd/N") (fexecve) on an fd of the denied program. */
#include "attack.h"
int main(void) {
  int fd = open("denied-exec", O_RDONLY);
  if (fd < 0) result(0, "open: %s", errname(errno));
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  char *argv[] = {"denied-exec", NULL};
  execve(p, argv, environ);
  result(0, "execve %s: %s", p, errname(errno));
}
