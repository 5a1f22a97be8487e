/* Existence oracle through lookups: stat, access, chdir, readlink, and ENOTDIR below a hidden file. */
#include "attack.h"
int main(void) {
  struct stat st;
  char b[64];
  int e[5][2];
  const char *n[2] = {"hidden/exists", "hidden/nothing"};
  const char *below[2] = {"hidden/exists/x", "hidden/nothing/x"};
  for (int i = 0; i < 2; i++) {
    e[0][i] = stat(n[i], &st) == 0 ? 0 : errno;
    e[1][i] = access(n[i], F_OK) == 0 ? 0 : errno;
    e[2][i] = chdir(n[i]) == 0 ? 0 : errno;
    e[3][i] = readlink(n[i], b, sizeof b) >= 0 ? 0 : errno;
    e[4][i] = stat(below[i], &st) == 0 ? 0 : errno;
  }
  int diff = 0;
  for (int k = 0; k < 5; k++) {
    printf("%d: %s vs %s\n", k, errname(e[k][0]), errname(e[k][1]));
    if (e[k][0] != e[k][1] || e[k][0] == 0) diff++;
  }
  result(diff > 0, "%d of 5 lookups tell an existing hidden name from a missing one", diff);
}
