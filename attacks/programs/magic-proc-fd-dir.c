/* Create a file under /proc/self/fd/N/ where N is an fd of protected/. */
#include "attack.h"
int main(void) {
  int d = open("protected", O_PATH | O_DIRECTORY);
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d/x", d);
  int fd = open(p, O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) result(1, "created %s", p);
  result(0, "%s: %s", p, errname(errno));
}
