/* sendmsg with msg_name = the denied UDP port, and sendmmsg with the second message denied. */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in ok = lo4(port_env("SB_UDP_OK")), bad = lo4(port_env("SB_UDP_DENIED"));
  struct iovec v = {"sendmsg", 7};
  struct msghdr m = {.msg_name = &bad, .msg_namelen = sizeof bad, .msg_iov = &v, .msg_iovlen = 1};
  ssize_t a = sendmsg(s, &m, 0);
  int e = errno;
  struct mmsghdr mm[2];
  memset(mm, 0, sizeof mm);
  mm[0].msg_hdr = (struct msghdr){.msg_name = &ok, .msg_namelen = sizeof ok, .msg_iov = &v, .msg_iovlen = 1};
  mm[1].msg_hdr = (struct msghdr){.msg_name = &bad, .msg_namelen = sizeof bad, .msg_iov = &v, .msg_iovlen = 1};
  int b = sendmmsg(s, mm, 2, 0);
  result(a == 7 || b == 2, "sendmsg to the denied port: %s; sendmmsg [ok, denied]: %d sent%s%s", a == 7 ? "sent" : errname(e), b, b < 0 ? " " : "", b < 0 ? errname(errno) : "");
}
