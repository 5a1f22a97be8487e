/* A script in an allowed place whose interpreter (#!) is the denied program. */
#include "attack.h"
int main(void) {
  char cwd[4096], line[4200];
  getcwd(cwd, sizeof cwd);
  int n = snprintf(line, sizeof line, "#!%s/denied-exec\n", cwd);
  /* The script itself must be executable by the exec rules: it lives where exec is allowed. */
  const char *script = env_or("SB_SCRIPT_DIR", "public");
  char path[4300];
  snprintf(path, sizeof path, "%s/script", script);
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
  if (fd < 0) result(0, "create %s: %s", path, errname(errno));
  write(fd, line, n);
  close(fd);
  char *argv[] = {"script", NULL};
  execve(path, argv, environ);
  result(0, "execve %s: %s", path, errname(errno));
}
