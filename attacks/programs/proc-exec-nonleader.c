/* execve from a non-leader thread (the thread takes over the leader's pid): still checked after. */
#include "attack.h"
static void *go(void *arg) {
  (void)arg;
  /* The shell reports only what it tried; the host side judges (secret, protected/x, marker). */
  char *argv[] = {"sh", "-c",
                  "echo > protected/x; cat vault/secret; ./denied-exec;"
                  " echo 'RESULT BLOCKED exec from a non-leader thread: the new program is still checked'",
                  NULL};
  execve("/bin/sh", argv, environ);
  return NULL;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, go, NULL);
  pthread_join(t, NULL);
  result(0, "execve from the thread failed: %s", errname(errno));
}
