/* bind to a port outside the allowed range, in IPv4, IPv6 and v4-mapped forms. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo4(port_env("SB_BIND_DENIED"));
  int r = bind(s, (struct sockaddr *)&a, sizeof a);
  int e = errno;
  int s6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 b = {.sin6_family = AF_INET6, .sin6_port = a.sin_port};
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &b.sin6_addr);
  int r6 = bind(s6, (struct sockaddr *)&b, sizeof b);
  result(r == 0 || r6 == 0, "bind denied port: %s, mapped: %s", r == 0 ? "bound" : errname(e), r6 == 0 ? "bound" : errname(errno));
}
