/* A hard link to the secret under an allowed name, then read it there. */
#include "attack.h"
int main(void) {
  if (link("vault/secret", "public/alias") != 0) result(0, "link: %s", errname(errno));
  int r = read_secret_path("public/alias");
  result(r > 0, "read through a hard link: %s", r > 0 ? "secret read" : errname(-r));
}
