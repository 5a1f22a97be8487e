/*
 * measure: runs one command and reports its wall-clock time and the CPU time of
 * its whole process tree, to file descriptor 3 (stdout and stderr belong to the
 * command). Built by the benchmark with `cc -O2`.
 *
 *   measure [-c CPU] -- PROGRAM [ARGS...]
 *
 * -c CPU pins this process, and so everything it starts, to one CPU (what
 * `taskset -c CPU` does) before the clock starts.
 *
 * CPU time is getrusage(RUSAGE_CHILDREN) after the command ended: every
 * descendant that was waited for. This process is a child subreaper, so
 * descendants orphaned by the command (daemons, double forks) are re-parented
 * here and reaped when they have already ended; ones still running are counted
 * as stragglers and left alone.
 *
 * Output (one line): wall_ns user_us sys_us wait_status stragglers maxrss_kb
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static long long tv_us(struct timeval tv) { return (long long)tv.tv_sec * 1000000LL + tv.tv_usec; }

int main(int argc, char **argv) {
  int argi = 1;
  int cpu = -1;
  if (argi + 1 < argc && strcmp(argv[argi], "-c") == 0) {
    cpu = atoi(argv[argi + 1]);
    argi += 2;
  }
  if (argi >= argc || strcmp(argv[argi], "--") != 0 || argi + 1 >= argc) {
    fprintf(stderr, "usage: measure [-c CPU] -- PROGRAM [ARGS...]\n");
    return 125;
  }
  argi++;
  /* The report channel must not leak into the command. */
  if (fcntl(3, F_SETFD, FD_CLOEXEC) != 0) {
    perror("measure: fd 3");
    return 125;
  }
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
      perror("measure: sched_setaffinity");
      return 125;
    }
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    perror("measure: PR_SET_CHILD_SUBREAPER");
    return 125;
  }
  long long t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return 125;
  }
  if (pid == 0) {
    execvp(argv[argi], &argv[argi]);
    fprintf(stderr, "measure: cannot run %s: %s\n", argv[argi], strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      perror("measure: waitpid");
      return 125;
    }
  }
  long long wall = now_ns() - t0;
  /* Reap orphans that already ended; count the ones still running. */
  int stragglers = 0;
  for (;;) {
    int st;
    pid_t r = waitpid(-1, &st, WNOHANG);
    if (r > 0) continue;
    if (r == 0) stragglers = 1;
    break;
  }
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  dprintf(3, "%lld %lld %lld %d %d %ld\n", wall, tv_us(ru.ru_utime), tv_us(ru.ru_stime), status, stragglers,
          ru.ru_maxrss);
  return 0;
}
