/* Binding is allowed only on ports 40000-40010; bind port 0 (the kernel picks any free port). */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo4(0);
  int r = bind(s, (struct sockaddr *)&a, sizeof a);
  if (r != 0) result(0, "bind 127.0.0.1:0: %s", errname(errno));
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  result(ntohs(a.sin_port) < 40000 || ntohs(a.sin_port) > 40010, "bound port %d", ntohs(a.sin_port));
}
