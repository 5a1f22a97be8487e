/* openat2 with odd shapes: a larger open_how (zero tail), O_CREAT in protected/ with extra
   resolve flags, O_TMPFILE in protected/, and upper flag bits. */
#include "attack.h"
#include <linux/openat2.h>
int main(void) {
  struct {
    struct open_how h;
    uint64_t pad[4];
  } big = {{.flags = O_RDONLY}, {0}};
  int fd = (int)syscall(SYS_openat2, AT_FDCWD, "vault/secret", &big, sizeof big);
  if (fd >= 0 && is_secret_fd(fd)) result(1, "oversized open_how read the secret");
  printf("oversized open_how: %s\n", fd < 0 ? errname(errno) : "opened but not the secret");
  struct open_how c = {.flags = O_WRONLY | O_CREAT, .mode = 0644, .resolve = RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV};
  fd = (int)syscall(SYS_openat2, AT_FDCWD, "protected/x", &c, sizeof c);
  printf("O_CREAT with resolve flags: %s\n", fd < 0 ? errname(errno) : "created");
  struct open_how t = {.flags = O_TMPFILE | O_WRONLY, .mode = 0644};
  int tf = (int)syscall(SYS_openat2, AT_FDCWD, "protected", &t, sizeof t);
  printf("O_TMPFILE in protected/: %s\n", tf < 0 ? errname(errno) : "opened");
  if (tf >= 0) {
    char p[64];
    snprintf(p, sizeof p, "/proc/self/fd/%d", tf);
    if (linkat(AT_FDCWD, p, AT_FDCWD, "protected/x", AT_SYMLINK_FOLLOW) == 0) result(1, "O_TMPFILE linked into protected/");
  }
  struct open_how u = {.flags = O_RDONLY | (1ULL << 40)};
  fd = (int)syscall(SYS_openat2, AT_FDCWD, "vault/secret", &u, sizeof u);
  printf("upper flag bits: %s\n", fd < 0 ? errname(errno) : "opened");
  if (fd >= 0 && is_secret_fd(fd)) result(1, "upper flag bits read the secret");
  result(protected_written(), "odd openat2 shapes");
}
