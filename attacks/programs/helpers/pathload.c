/* Load generator for the load and fault tests: THREADS threads each make ITERS rounds of path
   syscalls in the work directory (allowed: stat, open+read, mkdir+rmdir of their own names;
   denied by the corpus policy: open of vault/secret, creat of protected/x), then it prints the
   totals. Unsandboxed, the allowed totals must be the same; sandboxed, every denied call fails. */
#include "../attack.h"
static long iters;
static long ok_stat, ok_open, ok_mkdir, denied_read, denied_write, leaked;
static void *go(void *arg) {
  long id = (long)arg, s = 0, o = 0, m = 0, dr = 0, dw = 0, l = 0;
  char name[64];
  struct stat st;
  for (long i = 0; i < iters; i++) {
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
  }
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
  iters = argc > 2 ? atol(argv[2]) : 100;
  pthread_t t[1024];
  for (long i = 0; i < threads && i < 1024; i++) pthread_create(&t[i], NULL, go, (void *)i);
  for (long i = 0; i < threads && i < 1024; i++) pthread_join(t[i], NULL);
  printf("ALLOWED stat=%ld open=%ld mkdir=%ld\nDENIED read=%ld write=%ld\nLEAKED %ld\n", ok_stat, ok_open, ok_mkdir,
         denied_read, denied_write, leaked);
  return 0;
}
