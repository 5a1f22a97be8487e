/* int 0x80 from a 64-bit process: the i386 table (open = 5) with 32-bit pointers. */
#include "attack.h"
int main(void) {
  char *low = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
  strcpy(low, "vault/secret");
  pid_t c = fork();
  if (c == 0) {
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(5L), "b"((long)low), "c"(0L), "d"(0L) : "memory");
    if (r >= 0) _exit(is_secret_fd((int)r) ? 10 : 11);
    printf("int 0x80 open: %s\n", errname((int)-r));
    _exit(12);
  }
  int s;
  waitpid(c, &s, 0);
  if (WIFSIGNALED(s)) result(0, "int 0x80: the kernel killed the process with %s (no 32-bit emulation)", sigabbrev_np(WTERMSIG(s)));
  result(WEXITSTATUS(s) == 10, "int 0x80 open returned (exit %d)", WEXITSTATUS(s));
}
