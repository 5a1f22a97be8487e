/*
 * Shared by every attack program. Each program tries one technique against the
 * layout the runner prepares in its working directory:
 *   vault/secret   read, write and stat denied; holds the token in $SB_SECRET
 *   hidden/        stat (and everything else) denied; hidden/exists exists
 *   protected/     write denied; protected/keep exists
 *   public/        everything allowed; public/ok holds "public"
 *   denied-exec    a program (helpers/marker) whose exec is denied; running it creates ./exec-marker
 * and ends with one line: "RESULT ESCAPED <what>" or "RESULT BLOCKED <what>"
 * (races also print "RATE <hits> <tries>"). The runner checks the host side too
 * (token in the output, files in protected/, exec-marker, server hits).
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-function"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void result(int escaped, const char *fmt, ...) {
  va_list ap;
  char buf[512];
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  printf("RESULT %s %s\n", escaped ? "ESCAPED" : "BLOCKED", buf);
  fflush(stdout);
  _exit(0);
}

static const char *env_or(const char *name, const char *dflt) {
  const char *v = getenv(name);
  return v && *v ? v : dflt;
}

/* Race budget: tries and seconds, from the runner (small in CI, large on demand). */
static long race_tries(void) { return atol(env_or("SB_ATTACK_TRIES", "3000")); }
static double race_seconds(void) { return atof(env_or("SB_ATTACK_SECONDS", "1.5")); }
/* Measuring a rate: keep going after the first hit (SB_ATTACK_COUNT_ALL=1). */
static int count_all(void) { return atoi(env_or("SB_ATTACK_COUNT_ALL", "0")); }

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

/* Reads an fd; prints what it got (the runner looks for the token) and says whether it is the secret. */
static int is_secret_fd(int fd) {
  char buf[128];
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n <= 0) return 0;
  buf[n] = 0;
  if (strncmp(buf, "SECRET-", 7) == 0) {
    printf("CONTENT %s\n", buf);
    fflush(stdout);
    return 1;
  }
  return 0;
}

static int read_secret_path(const char *p) {
  int fd = open(p, O_RDONLY);
  if (fd < 0) return -errno;
  int r = is_secret_fd(fd);
  close(fd);
  return r;
}

/* Whether the runner's protected directory holds anything but "keep" (a write got through). */
static int protected_written(void) {
  struct stat st;
  return stat("protected/x", &st) == 0;
}

static const char *errname(int e) {
  static char b[32];
  const char *s = strerrorname_np(e);
  if (s) return s;
  snprintf(b, sizeof b, "errno %d", e);
  return b;
}

static void rate(long hits, long tries) {
  printf("RATE %ld %ld\n", hits, tries);
  fflush(stdout);
}

static int port_env(const char *name) { return atoi(env_or(name, "0")); }

/* An argument race: a thread flips `race_buf` between an allowed and a denied value. */
static char race_buf[256] __attribute__((aligned(64)));
static char race_a[256], race_b[256];
static size_t race_len;
static volatile int race_stop;

static void *race_flipper(void *arg) {
  (void)arg;
  while (!race_stop) {
    memcpy(race_buf, race_a, race_len);
    for (volatile int i = 0; i < 50; i++) {}
    memcpy(race_buf, race_b, race_len);
    for (volatile int i = 0; i < 50; i++) {}
  }
  return NULL;
}

static pthread_t race_start(const void *a, const void *b, size_t len) {
  pthread_t t;
  memcpy(race_a, a, len);
  memcpy(race_b, b, len);
  race_len = len;
  memcpy(race_buf, a, len);
  pthread_create(&t, NULL, race_flipper, NULL);
  return t;
}

static void race_end(pthread_t t) {
  race_stop = 1;
  pthread_join(t, NULL);
}

/* Whether an fd just created refers to protected/x (the denied target): its inode is that one. */
static int is_protected_x(int fd) {
  struct stat a, b;
  return fd >= 0 && fstat(fd, &a) == 0 && stat("protected/x", &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}
