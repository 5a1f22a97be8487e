/* A denied path spelled through "..", "//", "." and a symlinked directory. */
#include "attack.h"
int main(void) {
  symlink("..", "public/up");
  const char *paths[] = {"public/../vault/secret", ".//vault/./secret", "public/up/vault/secret",
                         "public/up/public/up/vault//secret"};
  for (int i = 0; i < 4; i++) {
    int r = read_secret_path(paths[i]);
    if (r > 0) result(1, "read %s", paths[i]);
    printf("%s: %s\n", paths[i], errname(-r));
  }
  result(0, "every spelling denied");
}
