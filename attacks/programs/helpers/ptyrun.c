/* Runs a command on a new pty (as its controlling terminal), then reports what is left in the
   pty's input queue: characters a sandboxed program pushed with TIOCSTI, which the caller's shell
   would have read next. Prints the command's output, then "PTY-INPUT <hex>". */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 2) return 2;
  int master;
  char name[256];
  pid_t p = forkpty(&master, name, NULL, NULL);
  if (p < 0) return 3;
  if (p == 0) {
    struct termios t;
    tcgetattr(0, &t);
    t.c_lflag &= ~(ICANON | ECHO);
    tcsetattr(0, TCSANOW, &t);
    execvp(argv[1], argv + 1);
    _exit(127);
  }
  /* The slave stays open here so its input queue survives the command's exit. */
  int slave = open(name, O_RDWR | O_NOCTTY | O_NONBLOCK);
  char buf[4096];
  int status;
  /* The slave is held open here, so the master never reads EOF: stop when the child is gone. */
  int done = 0;
  for (;;) {
    struct pollfd pf = {master, POLLIN, 0};
    if (poll(&pf, 1, 100) > 0 && (pf.revents & POLLIN)) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) {
        fwrite(buf, 1, n, stdout);
        continue;
      }
    }
    if (done) break;
    if (waitpid(p, &status, WNOHANG) == p) done = 1;
  }
  struct termios t;
  tcgetattr(slave, &t);
  t.c_lflag &= ~(ICANON | ECHO);
  tcsetattr(slave, TCSANOW, &t);
  ssize_t n = read(slave, buf, sizeof buf);
  printf("\nPTY-INPUT ");
  for (ssize_t i = 0; i < n; i++) printf("%02x", (unsigned char)buf[i]);
  printf("\nPTY-STATUS %d\n", status);
  return 0;
}
