/* The baseline: a plain TCP connect to the denied port. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo4(port_env("SB_PORT_DENIED"));
  int r = connect(s, (struct sockaddr *)&a, sizeof a);
  result(r == 0, "connect 127.0.0.1:denied: %s", r == 0 ? "connected" : errname(errno));
}
