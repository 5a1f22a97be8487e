/* Copy the denied program to an allowed place and run the copy (exec is deny-by-default). */
#include "attack.h"
int main(void) {
  int in = open("denied-exec", O_RDONLY), out = open("public/copy", O_WRONLY | O_CREAT, 0755);
  char b[65536];
  ssize_t n;
  while ((n = read(in, b, sizeof b)) > 0) write(out, b, n);
  close(out);
  char *argv[] = {"copy", NULL};
  execve("public/copy", argv, environ);
  result(0, "execve public/copy: %s", errname(errno));
}
