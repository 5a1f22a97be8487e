/* x32 creat/openat into protected/. */
#include "attack.h"
#define X32 0x40000000L
int main(void) {
  long a = syscall(X32 | 85 /* creat */, "protected/x", 0644);
  int e1 = errno;
  long b = syscall(X32 | 257, AT_FDCWD, "protected/x", O_WRONLY | O_CREAT, 0644);
  int e2 = errno;
  long c = syscall(X32 | 83 /* mkdir */, "protected/d", 0755);
  result(a >= 0 || b >= 0 || c >= 0 || protected_written(), "x32 creat: %s, openat: %s, mkdir: %s",
         a >= 0 ? "ok" : errname(e1), b >= 0 ? "ok" : errname(e2), c >= 0 ? "ok" : errname(errno));
}
