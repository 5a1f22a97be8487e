/* A 64-bit dirfd whose upper half is garbage: the kernel truncates it to int (AT_FDCWD). */
#include "attack.h"
int main(void) {
  long dirfd = (long)(0xdead000000000000UL | (unsigned)AT_FDCWD);
  long fd = syscall(SYS_openat, dirfd, "vault/secret", O_RDONLY);
  if (fd >= 0) result(is_secret_fd((int)fd), "openat with dirfd 0x%lx opened the secret", dirfd);
  int e = errno;
  int d = open("public", O_PATH | O_DIRECTORY);
  long fd2 = syscall(SYS_openat, (long)(0x100000000UL | (unsigned)d), "../vault/secret", O_RDONLY);
  if (fd2 >= 0) result(is_secret_fd((int)fd2), "openat with dirfd %d | 1<<32 opened the secret", d);
  result(0, "upper-half dirfds: %s, %s", errname(e), errname(errno));
}
