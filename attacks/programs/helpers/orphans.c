/* For "the supervisor receives SIGKILL": starts CHILDREN processes in new sessions (so no
   process-group kill reaches them) that keep trying to create protected/x, prints "READY", and
   waits. Once the supervisor is gone, nothing of this may keep running. */
#include "../attack.h"
int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 5;
  for (long i = 0; i < n; i++) {
    if (fork() == 0) {
      setsid();
      if (fork() == 0) {
        for (;;) {
          int fd = creat("protected/x", 0644);
          if (fd >= 0) close(fd);
          usleep(10000);
        }
      }
      pause();
    }
  }
  printf("READY\n");
  fflush(stdout);
  for (;;) pause();
}
