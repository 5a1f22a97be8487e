/* name_to_handle_at on the secret from inside, then open_by_handle_at. */
#include "attack.h"
int main(void) {
  unsigned char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  struct file_handle *h = (struct file_handle *)buf;
  h->handle_bytes = MAX_HANDLE_SZ;
  int mid;
  if (syscall(SYS_name_to_handle_at, AT_FDCWD, "vault/secret", h, &mid, 0) != 0)
    result(0, "name_to_handle_at: %s", errname(errno));
  int mnt = open(".", O_RDONLY | O_DIRECTORY);
  int fd = (int)syscall(SYS_open_by_handle_at, mnt, h, O_RDONLY);
  if (fd < 0) result(0, "name_to_handle_at worked, open_by_handle_at: %s", errname(errno));
  result(is_secret_fd(fd), "opened the secret by handle");
}
