/* An fd of the secret sent with SCM_RIGHTS by a process outside the sandbox ($SB_FD_SOCKET). */
#include "attack.h"
#include <sys/un.h>
int main(void) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, env_or("SB_FD_SOCKET", ""), sizeof a.sun_path - 1);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) result(0, "connect: %s", errname(errno));
  char c;
  char ctl[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {&c, 1};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  if (recvmsg(s, &m, 0) <= 0) result(0, "recvmsg: %s", errname(errno));
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  if (!h || h->cmsg_type != SCM_RIGHTS) result(0, "no fd received");
  int fd;
  memcpy(&fd, CMSG_DATA(h), sizeof fd);
  result(is_secret_fd(fd), "read the secret through an fd received from outside");
}
