/* Run the denied program through the dynamic loader: execve names ld.so, which maps the file. */
#include "attack.h"
int main(void) {
  char *argv[] = {"ld.so", "./denied-exec", NULL};
  execve("/lib64/ld-linux-x86-64.so.2", argv, environ);
  result(0, "execve ld.so: %s", errname(errno));
}
