/* A hard link to a write-protected file under an allowed name, then write through it. */
#include "attack.h"
int main(void) {
  if (link("protected/keep", "public/keep") != 0) result(0, "link: %s", errname(errno));
  int fd = open("public/keep", O_WRONLY | O_APPEND);
  if (fd < 0) result(0, "open: %s", errname(errno));
  write(fd, "changed\n", 8);
  close(fd);
  result(1, "appended to protected/keep through a hard link");
}
