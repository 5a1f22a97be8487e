/* A write into protected/ through /proc/self/cwd after chdir there (chdir is only a lookup). */
#include "attack.h"
int main(void) {
  if (chdir("protected") != 0) result(0, "chdir: %s", errname(errno));
  int fd = open("/proc/self/cwd/x", O_WRONLY | O_CREAT, 0644);
  int fd2 = open("x", O_WRONLY | O_CREAT, 0644);
  if (fd >= 0 || fd2 >= 0) result(1, "created protected/x from inside it");
  result(0, "/proc/self/cwd/x and ./x from inside protected/: %s", errname(errno));
}
