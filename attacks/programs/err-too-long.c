/* A 4095-byte path ("./" repeated) ending in the secret, and one just past PATH_MAX. */
#include "attack.h"
int main(void) {
  char p[5000];
  size_t tail = strlen("vault/secret");
  size_t n = 0;
  while (n + 2 + tail < 4095) { p[n++] = '.'; p[n++] = '/'; }
  if (n + tail < 4095) p[n++] = '/';
  strcpy(p + n, "vault/secret");
  int r = read_secret_path(p);
  printf("%zu-byte path: %s\n", strlen(p), r > 0 ? "secret read" : errname(-r));
  if (r > 0) result(1, "long path read the secret");
  char q[5000];
  memset(q, '/', 4100);
  strcpy(q + 4100, "vault/secret");
  int r2 = read_secret_path(q);
  result(r2 > 0, "%zu-byte path: %s", strlen(q), r2 > 0 ? "secret read" : errname(-r2));
}
