/* Outside the sandbox: prints a path's file handle as TYPE:HEX for bypass-open-by-handle. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
int main(int argc, char **argv) {
  char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
  struct file_handle *h = (struct file_handle *)buf;
  int mid;
  h->handle_bytes = MAX_HANDLE_SZ;
  if (argc < 2 || name_to_handle_at(AT_FDCWD, argv[1], h, &mid, 0) != 0) {
    perror("name_to_handle_at");
    return 1;
  }
  printf("%d:", h->handle_type);
  for (unsigned i = 0; i < h->handle_bytes; i++) printf("%02x", h->f_handle[i]);
  printf("\n");
  return 0;
}
