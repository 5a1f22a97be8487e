/* IORING_OP_CONNECT to the denied port. */
#include "attack.h"
#include "uring.h"
#include <netinet/in.h>
int main(void) {
  struct ring r;
  int e = ring_init(&r);
  if (e < 0) result(0, "io_uring_setup: %s", errname(-e));
  int sfd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port_env("SB_PORT_DENIED"))};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct io_uring_sqe s;
  memset(&s, 0, sizeof s);
  s.opcode = IORING_OP_CONNECT;
  s.fd = sfd;
  s.addr = (uintptr_t)&a;
  s.off = sizeof a;
  int res = ring_run(&r, &s);
  result(res == 0, "IORING_OP_CONNECT: %s", res == 0 ? "connected" : errname(-res));
}
