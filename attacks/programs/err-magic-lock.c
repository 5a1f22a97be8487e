/* Try to turn the write sandbox off through the (locked) magic path, directly and via a symlink. */
#include "attack.h"
int main(void) {
  struct stat st;
  int a = stat("/dev/sb/core/sandbox/write:off", &st) == 0 ? 0 : errno;
  symlink("/dev/sydbox/core/sandbox/write:off", "public/m");
  int b = stat("public/m", &st) == 0 ? 0 : errno;
  int c = stat("/dev/sb/core/trace/magic_lock:off", &st) == 0 ? 0 : errno;
  int fd = creat("protected/x", 0644);
  result(fd >= 0, "magic path: %s, via symlink: %s, unlock: %s; create protected/x: %s", errname(a), errname(b), errname(c), fd >= 0 ? "created" : errname(errno));
}
