/* A thread bomb (stopped by RLIMIT_NPROC or the bound): each thread tries to create protected/x. */
#include "attack.h"
static void *go(void *arg) {
  (void)arg;
  int fd = creat("protected/x", 0644);
  if (fd >= 0) close(fd);
  pause();
  return NULL;
}
int main(void) {
  int max = atoi(env_or("SB_BOMB", "300")), n = 0, e = 0;
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setstacksize(&at, 65536);
  for (; n < max; n++) {
    pthread_t t;
    if ((e = pthread_create(&t, &at, go, NULL)) != 0) break;
  }
  usleep(300000);
  printf("threads: %d (%s)\n", n, e ? errname(e) : "bound reached");
  fflush(stdout);
  result(protected_written(), "%d threads", n);
}
