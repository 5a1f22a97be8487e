/*
 * Test fixture: installs a seccomp filter (raw sock_filter bytes from a file) in this
 * single-threaded process, makes one syscall through the ABI asked for, and prints
 * "ret=<value> errno=<errno>". A filter action that kills shows up as the signal.
 *
 *   seccomp-probe FILTER.bin ABI NR [ARG0..ARG5]     ABI: x86_64 | x32 | i386
 *   seccomp-probe - ABI NR [ARGS]                    (no filter: check the ABI works)
 *
 * i386 calls go through `int $0x80` from this 64-bit process (the kernel's ia32 entry,
 * AUDIT_ARCH_I386); x32 calls are the x86_64 `syscall` with __X32_SYSCALL_BIT in the number.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

static long raw64(long nr, const unsigned long long *a) {
  long ret;
  register long r10 __asm__("r10") = (long)a[3];
  register long r8 __asm__("r8") = (long)a[4];
  register long r9 __asm__("r9") = (long)a[5];
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
                   : "rcx", "r11", "memory");
  return ret;
}

static unsigned int arg5_32 __attribute__((used));

static long raw32(long nr, const unsigned long long *a) {
  int ret;
  /* ebp cannot be an operand: load arg5 from a global (RIP-relative) around the trap.
   * Built with -mno-red-zone, so the push does not clobber the compiler's locals. */
  arg5_32 = (unsigned int)a[5];
  __asm__ volatile("push %%rbp\n\tmovl arg5_32(%%rip), %%ebp\n\tint $0x80\n\tpop %%rbp"
                   : "=a"(ret)
                   : "a"((int)nr), "b"((unsigned int)a[0]), "c"((unsigned int)a[1]), "d"((unsigned int)a[2]),
                     "S"((unsigned int)a[3]), "D"((unsigned int)a[4])
                   : "memory");
  return ret;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s FILTER.bin|- ABI NR [ARGS...]\n", argv[0]);
    return 2;
  }
  unsigned long long args[6] = {0};
  for (int i = 0; i < 6 && 4 + i < argc; i++) args[i] = strtoull(argv[4 + i], NULL, 0);
  long nr = (long)strtoll(argv[3], NULL, 0);
  if (strcmp(argv[1], "-") != 0) {
    static unsigned char buf[4096 * 8];
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
      perror("open filter");
      return 2;
    }
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    struct sock_fprog prog = {.len = (unsigned short)(n / 8), .filter = (struct sock_filter *)buf};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
      printf("load-failed errno=%d\n", errno);
      return 3;
    }
  }
  long ret;
  if (strcmp(argv[2], "i386") == 0) ret = raw32(nr, args);
  else ret = raw64(nr, args);
  /* Raw syscalls return -errno. */
  if (ret < 0 && ret > -4096) printf("ret=-1 errno=%ld\n", -ret);
  else printf("ret=%ld errno=0\n", ret);
  fflush(stdout);
  return 0;
}
