/* process_vm_writev into the supervisor's memory (a writable page, written back unchanged). */
#include "attack.h"
#include <sys/uio.h>
int main(void) {
  pid_t sup = getppid();
  char p[64], line[512];
  snprintf(p, sizeof p, "/proc/%d/maps", sup);
  FILE *f = fopen(p, "r");
  if (!f) result(0, "read %s: %s", p, errname(errno));
  unsigned long lo = 0, hi;
  char perms[8];
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && perms[0] == 'r' && perms[1] == 'w') break;
  char b[8];
  struct iovec l = {b, 8}, r = {(void *)lo, 8};
  long n = process_vm_readv(sup, &l, 1, &r, 1, 0);
  int e1 = errno;
  long w = n == 8 ? process_vm_writev(sup, &l, 1, &r, 1, 0) : -1;
  result(w == 8, "process_vm_readv of the supervisor: %s, process_vm_writev: %s", n == 8 ? "ok" : errname(e1), w == 8 ? "wrote 8 bytes" : errname(errno));
}
