/* openat2(dirfd, "/vault/secret", RESOLVE_IN_ROOT): "/" means the dirfd, not the real root. */
#include "attack.h"
#include <linux/openat2.h>
int main(void) {
  int d = open(".", O_PATH | O_DIRECTORY);
  struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT};
  int fd = (int)syscall(SYS_openat2, d, "/vault/secret", &how, sizeof how);
  if (fd < 0) result(0, "openat2 RESOLVE_IN_ROOT: %s", errname(errno));
  result(is_secret_fd(fd), "openat2 RESOLVE_IN_ROOT opened the secret");
}
