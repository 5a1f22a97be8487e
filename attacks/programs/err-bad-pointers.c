/* NULL, unmapped, PROT_NONE and page-straddling path pointers: fail closed, no crash. */
#include "attack.h"
int main(void) {
  long a = syscall(SYS_openat, AT_FDCWD, NULL, O_WRONLY | O_CREAT, 0644);
  int e1 = errno;
  long b = syscall(SYS_openat, AT_FDCWD, (void *)0x10, O_RDONLY);
  int e2 = errno;
  char *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(two + 4096, "vault/secret");
  mprotect(two + 4096, 4096, PROT_NONE);
  long c = syscall(SYS_openat, AT_FDCWD, two + 4096, O_RDONLY);
  int e3 = errno;
  mprotect(two + 4096, 4096, PROT_READ | PROT_WRITE);
  /* "protected/x" straddling into an unmapped page: the NUL is not mapped. */
  munmap(two + 4096, 4096);
  memcpy(two + 4096 - 11, "protected/x", 11);
  long d = syscall(SYS_openat, AT_FDCWD, two + 4096 - 11, O_WRONLY | O_CREAT, 0644);
  int e4 = errno;
  if (c >= 0 && is_secret_fd((int)c)) result(1, "PROT_NONE path read the secret");
  result(a >= 0 || b >= 0 || d >= 0 || protected_written(), "NULL: %s, 0x10: %s, PROT_NONE: %s, straddling: %s", errname(e1), errname(e2), c >= 0 ? "opened" : errname(e3), d >= 0 ? "opened" : errname(e4));
}
