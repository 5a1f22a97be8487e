/* Names that are not UTF-8: a symlink to the secret, and a file in protected/. */
#include "attack.h"
int main(void) {
  symlink("../vault/secret", "public/\xff\xfe");
  int r = read_secret_path("public/\xff\xfe");
  if (r > 0) result(1, "read the secret through a non-UTF-8 symlink");
  int fd = creat("protected/\xc3\x28", 0644);
  int fd2 = creat("protected/x\x80", 0644);
  struct stat st;
  int any = stat("protected/\xc3\x28", &st) == 0 || stat("protected/x\x80", &st) == 0;
  result(fd >= 0 || fd2 >= 0 || any, "non-UTF-8: symlink %s, creates in protected/: %s", errname(-r), errname(errno));
}
