/* connect to a denied abstract unix socket ($SB_ABSTRACT, served outside). */
#include "attack.h"
#include "net.h"
int main(void) {
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  const char *n = env_or("SB_ABSTRACT", "x");
  memcpy(a.sun_path + 1, n, strlen(n));
  int r = connect(s, (struct sockaddr *)&a, offsetof(struct sockaddr_un, sun_path) + 1 + strlen(n));
  result(r == 0, "connect @%s: %s", n, r == 0 ? "connected" : errname(errno));
}
