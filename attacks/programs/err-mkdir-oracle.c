/* Existence oracle: mkdir of a hidden name that exists vs one that does not must fail alike. */
#include "attack.h"
int main(void) {
  int a = mkdir("hidden/exists", 0755) == 0 ? 0 : errno;
  int b = mkdir("hidden/nothing", 0755) == 0 ? 0 : errno;
  result(a != b, "mkdir hidden/exists: %s, hidden/nothing: %s", errname(a), errname(b));
}
