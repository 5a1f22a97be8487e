/* A UDP socket connected to an allowed port, then sendto() with the denied port as destination. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in ok = lo4(port_env("SB_UDP_OK")), bad = lo4(port_env("SB_UDP_DENIED"));
  if (connect(s, (struct sockaddr *)&ok, sizeof ok) != 0) result(0, "connect to the allowed port: %s", errname(errno));
  ssize_t n = sendto(s, "sendto", 6, 0, (struct sockaddr *)&bad, sizeof bad);
  result(n == 6, "sendto the denied port on a connected socket: %s", n == 6 ? "sent" : errname(errno));
}
