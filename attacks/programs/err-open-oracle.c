/* Existence oracle through open(O_CREAT|O_EXCL), symlink, link's new name, rename(NOREPLACE). */
#include "attack.h"
#include <linux/fs.h>
int main(void) {
  int diff = 0;
  const char *names[2] = {"hidden/exists", "hidden/nothing"};
  int e[4][2];
  for (int i = 0; i < 2; i++) {
    e[0][i] = open(names[i], O_WRONLY | O_CREAT | O_EXCL, 0644) >= 0 ? 0 : errno;
    e[1][i] = symlink("x", names[i]) == 0 ? 0 : errno;
    e[2][i] = link("public/ok", names[i]) == 0 ? 0 : errno;
    e[3][i] = syscall(SYS_renameat2, AT_FDCWD, "public/ok", AT_FDCWD, names[i], RENAME_NOREPLACE) == 0 ? 0 : errno;
  }
  const char *op[4] = {"O_CREAT|O_EXCL", "symlink", "link", "RENAME_NOREPLACE"};
  for (int k = 0; k < 4; k++) {
    printf("%s: %s vs %s\n", op[k], errname(e[k][0]), errname(e[k][1]));
    if (e[k][0] != e[k][1]) diff++;
  }
  result(diff > 0, "%d of 4 operations tell an existing hidden name from a missing one", diff);
}
