/* A sockaddr_in with an oversized length and trailing garbage, and a short one. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct { struct sockaddr_in a; char junk[64]; } big;
  memset(&big, 0x41, sizeof big);
  big.a = lo4(port_env("SB_PORT_DENIED"));
  int r = connect(s, (struct sockaddr *)&big, sizeof big);
  int e = errno;
  int s2 = socket(AF_INET, SOCK_STREAM, 0);
  int r2 = connect(s2, (struct sockaddr *)&big, 8);
  result(r == 0 || r2 == 0, "oversized sockaddr: %s, 8-byte sockaddr: %s", r == 0 ? "connected" : errname(e), r2 == 0 ? "connected" : errname(errno));
}
