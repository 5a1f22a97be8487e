/* The kernel's reading of socket addresses, for the sockaddr-decoding differential test: reads
   lines "HEX" (the sockaddr bytes; the length is the byte count), hands each to the kernel and
   prints one line: "OK HEX" (the address as getsockname/getpeername gives it back) or "ERR n".
   AF_UNIX: bind() of a SOCK_DGRAM socket (in the current directory), then getsockname;
   AF_INET/AF_INET6: connect() of a UDP socket, then getpeername; other families: connect() of an
   AF_INET UDP socket (EAFNOSUPPORT, or AF_UNSPEC's disconnect). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static void hex(const unsigned char *b, socklen_t n) {
  for (socklen_t i = 0; i < n; i++) printf("%02x", b[i]);
}
int main(void) {
  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    unsigned char a[512];
    socklen_t n = 0;
    for (char *p = line; p[0] && p[1] && p[0] != '\n' && n < sizeof a; p += 2) sscanf(p, "%2hhx", &a[n++]);
    unsigned short fam = n >= 2 ? (unsigned short)(a[0] | a[1] << 8) : 0;
    int kind = fam == AF_UNIX ? AF_UNIX : fam == AF_INET6 ? AF_INET6 : AF_INET;
    int s = socket(kind, SOCK_DGRAM, 0);
    int r = kind == AF_UNIX ? bind(s, (struct sockaddr *)a, n) : connect(s, (struct sockaddr *)a, n);
    if (r != 0) {
      printf("ERR %d\n", errno);
    } else {
      struct sockaddr_storage out;
      socklen_t l = sizeof out;
      memset(&out, 0, sizeof out);
      if (kind == AF_UNIX) getsockname(s, (struct sockaddr *)&out, &l);
      else if (getpeername(s, (struct sockaddr *)&out, &l) != 0) l = 0;
      printf("OK ");
      hex((unsigned char *)&out, l);
      printf("\n");
      if (kind == AF_UNIX && l > 2 && ((struct sockaddr_un *)&out)->sun_path[0]) unlink(((struct sockaddr_un *)&out)->sun_path);
    }
    close(s);
    fflush(stdout);
  }
  return 0;
}
