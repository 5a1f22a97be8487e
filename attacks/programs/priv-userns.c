/* A user namespace (root inside it), then use its powers on the sandbox's paths. */
#include "attack.h"
#include <sys/mount.h>
int main(void) {
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) result(0, "unshare(CLONE_NEWUSER|CLONE_NEWNS): %s", errname(errno));
  int m1 = mount("tmpfs", "protected", "tmpfs", 0, NULL);
  int e1 = errno;
  mkdir("public/view", 0755);
  int m2 = mount("vault", "public/view", NULL, MS_BIND, NULL);
  int e2 = errno;
  int r = read_secret_path("public/view/secret");
  if (r > 0) result(1, "read the secret through a bind mount in a user namespace");
  result(m1 == 0, "in a user namespace: tmpfs over protected/ %s, bind vault/ %s", m1 == 0 ? "mounted" : errname(e1), m2 == 0 ? "mounted" : errname(e2));
}
