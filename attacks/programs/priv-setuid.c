/* Run a setuid-root copy of a probe (prepared by the runner as $SB_SUID): does it gain euid 0? */
#include "attack.h"
int main(void) {
  char *argv[] = {"probe", NULL};
  execve(env_or("SB_SUID", "/nonexistent"), argv, environ);
  result(0, "execve of the setuid probe: %s", errname(errno));
}
