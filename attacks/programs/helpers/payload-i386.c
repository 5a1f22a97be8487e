/* Built with -m32 -nostdlib -static: open("vault/secret") via int 0x80, copy it to stdout, exit 10
   if it read anything. No libc, so no 32-bit multilib is needed to build it. */
static long sys3(long n, long a, long b, long c) {
  long r;
  __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
  return r;
}
void _start(void) {
  char buf[128];
  long fd = sys3(5, (long)"vault/secret", 0, 0);
  long n = fd >= 0 ? sys3(3, fd, (long)buf, sizeof buf) : -1;
  if (n > 0) {
    sys3(4, 1, (long)"CONTENT ", 8);
    sys3(4, 1, (long)buf, n);
  }
  sys3(1, n > 0 ? 10 : 11, 0, 0);
  for (;;) {}
}
