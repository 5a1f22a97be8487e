/* The denied program's bytes in a memfd, executed with execveat(AT_EMPTY_PATH). */
#include "attack.h"
int main(void) {
  int in = open("denied-exec", O_RDONLY), m = memfd_create("payload", MFD_CLOEXEC);
  char b[65536];
  ssize_t n;
  while ((n = read(in, b, sizeof b)) > 0) write(m, b, n);
  char *argv[] = {"payload", NULL};
  syscall(SYS_execveat, m, "", argv, environ, AT_EMPTY_PATH);
  int e = errno;
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", m);
  execve(p, argv, environ);
  result(0, "memfd exec: execveat %s, execve %s: %s", errname(e), p, errname(errno));
}
