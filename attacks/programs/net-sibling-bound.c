/* Bind-allowed but connect-denied: a sibling binds UDP 127.0.0.1:P (P = the host's denied TCP
   service); the successful-bind allowance must not make TCP connect to P allowed. */
#include "attack.h"
#include "net.h"
int main(void) {
  int port = port_env("SB_PORT_DENIED");
  int pfd[2];
  pipe(pfd);
  pid_t c = fork();
  if (c == 0) {
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = lo4(port);
    int r = bind(u, (struct sockaddr *)&a, sizeof a);
    printf("sibling: bind udp 127.0.0.1:%d: %s\n", port, r == 0 ? "ok" : errname(errno));
    fflush(stdout);
    write(pfd[1], "x", 1);
    pause();
    _exit(0);
  }
  char x;
  read(pfd[0], &x, 1);
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo4(port);
  int r = connect(s, (struct sockaddr *)&a, sizeof a);
  int e = errno;
  kill(c, SIGKILL);
  waitpid(c, NULL, 0);
  result(r == 0, "tcp connect 127.0.0.1:%d after a sibling's udp bind: %s", port, r == 0 ? "connected" : errname(e));
}
