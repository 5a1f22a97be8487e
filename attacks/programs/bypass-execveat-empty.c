/* execveat(fd, "", AT_EMPTY_PATH) on an O_PATH fd of the denied program. */
#include "attack.h"
int main(void) {
  int fd = open("denied-exec", O_PATH);
  if (fd < 0) result(0, "O_PATH open: %s", errname(errno));
  char *argv[] = {"denied-exec", NULL};
  syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
  result(0, "execveat(AT_EMPTY_PATH): %s", errname(errno));
}
