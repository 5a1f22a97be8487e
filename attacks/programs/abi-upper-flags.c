/* open flags with the upper half set: the filter must compare the 32 bits the kernel uses. */
#include "attack.h"
int main(void) {
  long fl = (long)(0xffffffff00000000UL | O_WRONLY | O_CREAT);
  long fd = syscall(SYS_openat, AT_FDCWD, "protected/x", fl, 0644);
  int e = errno;
  long fd2 = syscall(SYS_openat, AT_FDCWD, "vault/secret", (long)0x8000000000000000UL);
  if (fd2 >= 0 && is_secret_fd((int)fd2)) result(1, "read the secret with upper flag bits");
  long m = syscall(SYS_mkdir, "protected/d", (long)0xffffffff000001edUL);
  result(fd >= 0 || m == 0 || protected_written(), "upper-half flags: openat %s, mkdir %s",
         fd >= 0 ? "created" : errname(e), m == 0 ? "created" : errname(errno));
}
