/* A symlink in an allowed place pointing at the secret (no race). */
#include "attack.h"
int main(void) {
  symlink("../vault/secret", "public/s");
  int r = read_secret_path("public/s");
  result(r > 0, "read through a symlink: %s", r > 0 ? "secret read" : errname(-r));
}
