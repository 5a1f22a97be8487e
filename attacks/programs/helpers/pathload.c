/* Load generator for the load and fault tests: THREADS threads each make rounds of path syscalls
   in the work directory (allowed: stat, open+read, mkdir+rmdir of their own names; denied by the
   corpus policy: open of vault/secret, creat of protected/x) until ROUNDS rounds are done or
   SECONDS have passed (0: no limit), then it prints the totals. A round is counted only when it
   is complete, so every allowed total equals ROUNDS when nothing was lost: unsandboxed and
   sandboxed runs are compared by those equalities, not by how many rounds each managed. */
#include "../attack.h"
static long max_rounds;
static struct timespec deadline;
static int timed;
static long rounds, ok_stat, ok_open, ok_mkdir, denied_read, denied_write, leaked;

static int past_deadline(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec);
}

static void *go(void *arg) {
  long id = (long)arg, r = 0, s = 0, o = 0, m = 0, dr = 0, dw = 0, l = 0;
  char name[64];
  struct stat st;
  for (long i = 0; (max_rounds == 0 || i < max_rounds) && !(timed && past_deadline()); i++) {
    if (stat("public/ok", &st) == 0) s++;
    int fd = open("public/ok", O_RDONLY);
    if (fd >= 0) {
      char b[16];
      if (read(fd, b, sizeof b) == 7) o++;
      close(fd);
    }
    snprintf(name, sizeof name, "public/t%ld-%ld", id, i);
    if (mkdir(name, 0755) == 0 && rmdir(name) == 0) m++;
    fd = open("vault/secret", O_RDONLY);
    if (fd < 0) dr++;
    else {
      if (is_secret_fd(fd)) l++;
      close(fd);
    }
    fd = open("protected/x", O_WRONLY | O_CREAT, 0644);
    if (fd < 0) dw++;
    else close(fd);
    r++;
  }
  __atomic_add_fetch(&rounds, r, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&ok_stat, s, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&ok_open, o, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&ok_mkdir, m, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&denied_read, dr, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&denied_write, dw, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&leaked, l, __ATOMIC_SEQ_CST);
  return NULL;
}

int main(int argc, char **argv) {
  long threads = argc > 1 ? atol(argv[1]) : 4;
  max_rounds = argc > 2 ? atol(argv[2]) : 100;
  long seconds = argc > 3 ? atol(argv[3]) : 0;
  if (threads < 1 || threads > 1024 || max_rounds < 0 || seconds < 0 || (max_rounds == 0 && seconds == 0)) {
    fprintf(stderr, "usage: pathload THREADS(1-1024) ROUNDS [SECONDS] (ROUNDS 0 needs SECONDS)\n");
    return 2;
  }
  timed = seconds > 0;
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += seconds;
  pthread_t t[1024];
  for (long i = 0; i < threads; i++)
    if (pthread_create(&t[i], NULL, go, (void *)i) != 0) {
      fprintf(stderr, "pthread_create %ld failed\n", i);
      return 1;
    }
  for (long i = 0; i < threads; i++) pthread_join(t[i], NULL);
  printf("ROUNDS %ld\nALLOWED stat=%ld open=%ld mkdir=%ld\nDENIED read=%ld write=%ld\nLEAKED %ld\n", rounds, ok_stat,
         ok_open, ok_mkdir, denied_read, denied_write, leaked);
  return 0;
}
