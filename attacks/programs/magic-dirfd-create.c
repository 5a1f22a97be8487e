/* openat() relative to an fd of protected/ (the path alone says only "x"). */
#include "attack.h"
int main(void) {
  int d = open("protected", O_PATH | O_DIRECTORY);
  if (d < 0) result(0, "open protected: %s", errname(errno));
  int fd = openat(d, "x", O_WRONLY | O_CREAT, 0644);
  if (fd >= 0) result(1, "created protected/x through a dirfd");
  result(0, "openat(dirfd, x): %s", errname(errno));
}
