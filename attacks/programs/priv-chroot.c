/* chroot into the work directory: the sandbox's rules name host paths, the process now names
   "/vault/secret". */
#include "attack.h"
int main(void) {
  if (chroot(".") != 0) result(0, "chroot: %s", errname(errno));
  int r = read_secret_path("/vault/secret");
  int fd = creat("/protected/x", 0644);
  result(r > 0 || fd >= 0, "after chroot(.): read /vault/secret %s, create /protected/x %s", r > 0 ? "ok" : errname(-r), fd >= 0 ? "ok" : errname(errno));
}
