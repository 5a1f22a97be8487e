/* socketcall(SYS_CONNECT) through int 0x80 (i386) to the denied port. */
#include "attack.h"
#include <netinet/in.h>
int main(void) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in *a = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  a->sin_family = AF_INET;
  a->sin_port = htons(port_env("SB_PORT_DENIED"));
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  unsigned *args = (unsigned *)(a + 1);
  args[0] = s;
  args[1] = (unsigned)(uintptr_t)a;
  args[2] = sizeof *a;
  pid_t c = fork();
  if (c == 0) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(102L), "b"(3L /* SYS_CONNECT */), "c"((long)args) : "memory");
    _exit(r == 0 ? 10 : 11);
  }
  int st;
  waitpid(c, &st, 0);
  if (WIFSIGNALED(st)) result(0, "socketcall via int 0x80: killed by %s (no 32-bit emulation)", sigabbrev_np(WTERMSIG(st)));
  result(WEXITSTATUS(st) == 10, "socketcall connect (exit %d)", WEXITSTATUS(st));
}
