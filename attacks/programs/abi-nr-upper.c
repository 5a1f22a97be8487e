/* A syscall number with upper bits set (the kernel uses the low 32 bits on x86_64). */
#include "attack.h"
int main(void) {
  long r = syscall((long)(0x100000000UL | SYS_openat), AT_FDCWD, "vault/secret", O_RDONLY);
  if (r >= 0) result(is_secret_fd((int)r), "openat with nr | 1<<32 opened the secret");
  int e = errno;
  long r2 = syscall((long)(0xffffffff00000000UL | SYS_mkdir), "protected/d", 0755);
  result(r2 == 0, "nr with upper bits: openat %s, mkdir %s", errname(e), r2 == 0 ? "created" : errname(errno));
}
