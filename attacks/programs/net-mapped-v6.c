/* connect to ::ffff:127.0.0.1 (an IPv4-mapped IPv6 address) on the denied port. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port_env("SB_PORT_DENIED"))};
  inet_pton(AF_INET6, "::ffff:127.0.0.1", &a.sin6_addr);
  int r = connect(s, (struct sockaddr *)&a, sizeof a);
  result(r == 0, "connect [::ffff:127.0.0.1]:denied: %s", r == 0 ? "connected" : errname(errno));
}
