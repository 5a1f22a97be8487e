/* The secret's O_PATH fd reopened through /proc/PID/fd/N (by pid) and with O_NOFOLLOW. */
#include "attack.h"
int main(void) {
  int fd = open("vault/secret", O_PATH);
  if (fd < 0) result(0, "O_PATH open: %s", errname(errno));
  char p[64];
  snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
  /* Through a second magic link: /proc/PID/fd/N of the same process by pid. */
  char q[64];
  snprintf(q, sizeof q, "/proc/%d/fd/%d", getpid(), fd);
  int r = read_secret_path(q);
  if (r > 0) result(1, "%s: secret read", q);
  int fd2 = open(p, O_RDONLY | O_NOFOLLOW);
  result(fd2 >= 0 && is_secret_fd(fd2), "%s and %s with O_NOFOLLOW: %s", q, p, errname(errno));
}
