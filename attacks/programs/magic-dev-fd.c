/* O_PATH fd of the secret reopened through /dev/fd/N. */
#include "attack.h"
int main(void) {
  int fd = open("vault/secret", O_PATH);
  if (fd < 0) result(0, "O_PATH open: %s", errname(errno));
  char p[64];
  snprintf(p, sizeof p, "/dev/fd/%d", fd);
  int r = read_secret_path(p);
  result(r > 0, "%s: %s", p, r > 0 ? "secret read" : errname(-r));
}
