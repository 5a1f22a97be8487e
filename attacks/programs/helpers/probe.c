/* Reports the privileges it runs with: ESCAPED if it gained any (euid 0 or effective caps) while
   started by an unprivileged user, then tries the secret and protected/ with them. */
#include "../attack.h"
int main(void) {
  char line[256];
  unsigned long long eff = 0;
  FILE *f = fopen("/proc/self/status", "r");
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "CapEff: %llx", &eff) == 1) break;
  uid_t r = getuid(), e = geteuid();
  int gained = r != 0 && (e == 0 || eff != 0);
  int s = read_secret_path("vault/secret");
  int fd = creat("protected/x", 0644);
  result(gained || s > 0 || fd >= 0, "uid %d euid %d CapEff %llx", r, e, eff);
}
