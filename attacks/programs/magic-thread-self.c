/* The secret through /proc/thread-self (from a second thread, whose tid differs from the pid). */
#include "attack.h"
static int res;
static void *go(void *arg) {
  (void)arg;
  int fd = open("vault/secret", O_PATH);
  char p[4300], cwd[4096];
  snprintf(p, sizeof p, "/proc/thread-self/fd/%d", fd);
  res = read_secret_path(p);
  if (res <= 0) {
    getcwd(cwd, sizeof cwd);
    snprintf(p, sizeof p, "/proc/thread-self/root%s/vault/secret", cwd);
    int r = read_secret_path(p);
    if (r > 0) res = r;
  }
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, go, NULL);
  pthread_join(t, NULL);
  result(res > 0, "/proc/thread-self: %s", res > 0 ? "secret read" : errname(-res));
}
