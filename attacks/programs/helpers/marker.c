/* The "denied program": if it ever runs, it leaves ./exec-marker for the runner to find. */
#include <fcntl.h>
#include <unistd.h>
int main(void) {
  int fd = open("exec-marker", O_WRONLY | O_CREAT, 0644);
  write(1, "MARKER-RAN\n", 11);
  return fd >= 0 ? 0 : 1;
}
