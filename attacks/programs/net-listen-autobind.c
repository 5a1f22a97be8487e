/* listen() on a socket never bound: the kernel binds it to an ephemeral port (no bind call). */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (listen(s, 1) != 0) result(0, "listen: %s", errname(errno));
  struct sockaddr_in a;
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  result(1, "listening on %s:%d without bind()", inet_ntoa(a.sin_addr), ntohs(a.sin_port));
}
