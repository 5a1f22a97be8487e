/* The secret through /proc/self/root (a magic link to the process's root). */
#include "attack.h"
int main(void) {
  char cwd[4096], p[4300];
  getcwd(cwd, sizeof cwd);
  snprintf(p, sizeof p, "/proc/self/root%s/vault/secret", cwd);
  int r = read_secret_path(p);
  result(r > 0, "%s: %s", p, r > 0 ? "secret read" : errname(-r));
}
