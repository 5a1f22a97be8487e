/* TIOCSTI: push a command into the terminal's input queue, for the caller's shell to run later. */
#include "attack.h"
#include <sys/ioctl.h>
#include <termios.h>
int main(void) {
  if (!isatty(0)) result(0, "stdin is not a terminal (run under a pty)");
  const char *cmd = "echo INJECTED\n";
  int ok = 0, e = 0;
  for (const char *c = cmd; *c; c++) {
    if (ioctl(0, TIOCSTI, c) == 0) ok++;
    else e = errno;
  }
  printf("TIOCSTI: %d of %zu characters pushed%s%s\n", ok, strlen(cmd), e ? ", " : "", e ? errname(e) : "");
  fflush(stdout);
  result(ok > 0, "TIOCSTI into the caller's terminal");
}
