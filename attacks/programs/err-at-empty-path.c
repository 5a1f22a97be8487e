/* AT_EMPTY_PATH writes on an O_PATH fd of a protected file: fchownat, utimensat(NULL), linkat. */
#include "attack.h"
int main(void) {
  int fd = open("protected/keep", O_PATH);
  int a = fchownat(fd, "", getuid(), getgid(), AT_EMPTY_PATH) == 0 ? 0 : errno;
  struct timespec ts[2] = {{0, 0}, {0, 0}};
  int b = syscall(SYS_utimensat, fd, NULL, ts, 0) == 0 ? 0 : errno;
  int vfd = open("vault/secret", O_PATH);
  int c = linkat(vfd, "", AT_FDCWD, "public/copy", AT_EMPTY_PATH) == 0 ? 0 : errno;
  int r = c == 0 ? read_secret_path("public/copy") : 0;
  struct stat st;
  stat("protected/keep", &st);
  result(b == 0 || r > 0, "fchownat: %s, utimensat(fd, NULL): %s (mtime %ld), linkat(AT_EMPTY_PATH) of the secret: %s", errname(a), errname(b), (long)st.st_mtime, errname(c));
}
