/* Move the secret (or its directory) out of the denied tree, then read it. */
#include "attack.h"
int main(void) {
  int a = rename("vault/secret", "public/moved") == 0 ? 0 : errno;
  int b = rename("vault", "public/vault") == 0 ? 0 : errno;
  int r1 = read_secret_path("public/moved"), r2 = read_secret_path("public/vault/secret");
  if (r1 > 0 || r2 > 0) result(1, "secret read after a rename");
  result(0, "rename vault/secret: %s, rename vault: %s", a ? errname(a) : "ok", b ? errname(b) : "ok");
}
