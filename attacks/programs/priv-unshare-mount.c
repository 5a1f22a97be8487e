/* unshare(CLONE_NEWNS) (root) and bind-mount the vault somewhere allowed. */
#include "attack.h"
#include <sys/mount.h>
int main(void) {
  if (unshare(CLONE_NEWNS) != 0) result(0, "unshare(CLONE_NEWNS): %s", errname(errno));
  mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
  mkdir("public/view", 0755);
  int m = mount("vault", "public/view", NULL, MS_BIND, NULL);
  int e = errno;
  int r = read_secret_path("public/view/secret");
  if (r > 0) result(1, "read the secret through a bind mount");
  int m2 = mount("public", "protected", NULL, MS_BIND, NULL);
  result(m2 == 0, "bind vault/ -> public/view: %s; bind public/ over protected/: %s", m == 0 ? "mounted" : errname(e), m2 == 0 ? "mounted" : errname(errno));
}
