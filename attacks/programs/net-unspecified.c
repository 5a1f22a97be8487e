/* connect to 0.0.0.0 and :: (the kernel turns them into the local host) on the denied port. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = lo4(port_env("SB_PORT_DENIED"));
  a.sin_addr.s_addr = 0;
  int r = connect(s, (struct sockaddr *)&a, sizeof a);
  int e = errno;
  int s6 = socket(AF_INET6, SOCK_STREAM, 0);
  struct sockaddr_in6 b = {.sin6_family = AF_INET6, .sin6_port = htons(port_env("SB_PORT_DENIED"))};
  int r6 = connect(s6, (struct sockaddr *)&b, sizeof b);
  result(r == 0 || r6 == 0, "connect 0.0.0.0: %s, [::]: %s", r == 0 ? "connected" : errname(e), r6 == 0 ? "connected" : errname(errno));
}
