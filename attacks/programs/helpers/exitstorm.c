/* Tracees exiting in the middle of inspection: ROUNDS times, a child starts THREADS threads that
   hammer checked calls (denied creat, allowed open) and exits (exit_group) at once, so the
   supervisor sees stops of threads that are already gone. Prints "DONE <rounds>". */
#include "../attack.h"
static void *hammer(void *arg) {
  (void)arg;
  for (;;) {
    int fd = creat("protected/x", 0644);
    if (fd >= 0) close(fd);
    fd = open("public/ok", O_RDONLY);
    if (fd >= 0) close(fd);
  }
  return NULL;
}
int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 50, threads = argc > 2 ? atol(argv[2]) : 8;
  for (long r = 0; r < rounds; r++) {
    pid_t c = fork();
    if (c == 0) {
      pthread_t t;
      for (long i = 0; i < threads; i++) pthread_create(&t, NULL, hammer, NULL);
      usleep((r % 5) * 1000);
      _exit(0);
    }
    waitpid(c, NULL, 0);
  }
  printf("DONE %ld\n", rounds);
  return 0;
}
