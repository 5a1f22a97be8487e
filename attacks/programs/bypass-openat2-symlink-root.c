/* An absolute symlink followed under RESOLVE_IN_ROOT resolves against the dirfd. */
#include "attack.h"
#include <linux/openat2.h>
int main(void) {
  symlink("/vault/secret", "public/abs");
  int d = open(".", O_PATH | O_DIRECTORY);
  struct open_how how = {.flags = O_RDONLY, .resolve = RESOLVE_IN_ROOT};
  int fd = (int)syscall(SYS_openat2, d, "public/abs", &how, sizeof how);
  if (fd < 0) result(0, "openat2 via an absolute symlink in root: %s", errname(errno));
  result(is_secret_fd(fd), "opened the secret through an absolute symlink under RESOLVE_IN_ROOT");
}
