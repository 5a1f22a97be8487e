/* An unprivileged user namespace gives CAP_SYS_CHROOT: chroot, then name paths from the new root. */
#include "attack.h"
int main(void) {
  if (unshare(CLONE_NEWUSER) != 0) result(0, "unshare(CLONE_NEWUSER): %s", errname(errno));
  if (chroot(".") != 0) result(0, "chroot in the user namespace: %s", errname(errno));
  int r = read_secret_path("/vault/secret");
  int fd = creat("/protected/x", 0644);
  result(r > 0 || fd >= 0, "userns chroot: read %s, create %s", r > 0 ? "ok" : errname(-r), fd >= 0 ? "ok" : errname(errno));
}
