/* Run a probe with file capabilities (cap_dac_read_search+ep, prepared as $SB_CAPS): gained? */
#include "attack.h"
int main(void) {
  char *argv[] = {"probe", NULL};
  execve(env_or("SB_CAPS", "/nonexistent"), argv, environ);
  result(0, "execve of the file-caps probe: %s", errname(errno));
}
