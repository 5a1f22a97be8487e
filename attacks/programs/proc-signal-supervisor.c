/* SIGKILL the supervisor, with a child ready to write protected/ once nobody checks it. */
#include "attack.h"
int main(void) {
  pid_t sup = getppid();
  pid_t c = fork();
  if (c == 0) {
    double end = now() + 3;
    while (now() < end) {
      int fd = creat("protected/x", 0644);
      if (fd >= 0) _exit(10);
      usleep(20000);
    }
    _exit(11);
  }
  int k = kill(sup, SIGKILL);
  printf("kill(supervisor %d, SIGKILL): %s\n", sup, k == 0 ? "sent" : errname(errno));
  fflush(stdout);
  int s;
  waitpid(c, &s, 0);
  result(WIFEXITED(s) && WEXITSTATUS(s) == 10, "a child outlived the supervisor");
}
