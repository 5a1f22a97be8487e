/* Outside the sandbox: listens on a unix socket, sends an fd of FILE with SCM_RIGHTS to the first
   client, then exits. Prints "READY" once listening. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
  unlink(argv[1]);
  if (bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0) return 3;
  chmod(argv[1], 0777);
  printf("READY\n");
  fflush(stdout);
  int c = accept(l, NULL, NULL);
  int fd = open(argv[2], O_RDONLY);
  char ctl[CMSG_SPACE(sizeof(int))] = {0};
  char x = 'x';
  struct iovec iov = {&x, 1};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
  struct cmsghdr *h = CMSG_FIRSTHDR(&m);
  h->cmsg_level = SOL_SOCKET;
  h->cmsg_type = SCM_RIGHTS;
  h->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(h), &fd, sizeof fd);
  sendmsg(c, &m, 0);
  close(c);
  return 0;
}
