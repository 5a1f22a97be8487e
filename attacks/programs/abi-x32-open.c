/* The x32 ABI's open (nr | 0x40000000) on the secret: same AUDIT_ARCH as x86_64, different table. */
#include "attack.h"
#define X32 0x40000000L
int main(void) {
  long fd = syscall(X32 | 257 /* x32 openat = 257 */, AT_FDCWD, "vault/secret", O_RDONLY);
  int e = errno;
  if (fd >= 0) result(is_secret_fd((int)fd), "x32 openat opened the secret");
  long fd2 = syscall(X32 | 2 /* x32 open */, "vault/secret", O_RDONLY);
  if (fd2 >= 0) result(is_secret_fd((int)fd2), "x32 open opened the secret");
  result(0, "x32 openat: %s, x32 open: %s", errname(e), errname(errno));
}
