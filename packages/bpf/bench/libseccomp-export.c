/*
 * Builds a filter with libseccomp from a line-based description on stdin and writes the
 * BPF (seccomp_export_bpf) to stdout, at libseccomp's best optimisation level (binary
 * tree, SCMP_FLTATR_CTL_OPTIMIZE = 2). The benchmark feeds it the same rules it compiles.
 *
 *   default <action>            filter return values as numbers (same encoding as the kernel)
 *   badarch <action>
 *   arch <name>                 e.g. x86_64, x86, x32, aarch64 (seccomp_arch_resolve_name)
 *   rule <action> <syscall> <n> [<index> <op> <a> <b>]*n
 *       op: ne lt le eq ge gt masked_eq; for masked_eq a is the mask and b the value
 *   name <arch> <syscall>       prints "<syscall> <nr>" (libseccomp's own table) instead of a filter
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum scmp_compare op_of(const char *s) {
  if (!strcmp(s, "ne")) return SCMP_CMP_NE;
  if (!strcmp(s, "lt")) return SCMP_CMP_LT;
  if (!strcmp(s, "le")) return SCMP_CMP_LE;
  if (!strcmp(s, "eq")) return SCMP_CMP_EQ;
  if (!strcmp(s, "ge")) return SCMP_CMP_GE;
  if (!strcmp(s, "gt")) return SCMP_CMP_GT;
  if (!strcmp(s, "masked_eq")) return SCMP_CMP_MASKED_EQ;
  fprintf(stderr, "bad op %s\n", s);
  exit(2);
}

int main(void) {
  char line[4096];
  scmp_filter_ctx ctx = NULL;
  uint32_t badarch = SCMP_ACT_KILL_PROCESS;
  int native_kept = 0;
  uint32_t native = seccomp_arch_native();
  int names_only = 0;
  while (fgets(line, sizeof line, stdin)) {
    char *save = NULL;
    char *kw = strtok_r(line, " \n", &save);
    if (!kw) continue;
    if (!strcmp(kw, "default")) {
      ctx = seccomp_init((uint32_t)strtoul(strtok_r(NULL, " \n", &save), NULL, 0));
      if (!ctx) return 3;
      seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
      seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    } else if (!strcmp(kw, "badarch")) {
      badarch = (uint32_t)strtoul(strtok_r(NULL, " \n", &save), NULL, 0);
      seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, badarch);
    } else if (!strcmp(kw, "arch")) {
      uint32_t a = seccomp_arch_resolve_name(strtok_r(NULL, " \n", &save));
      if (a == 0) return 4;
      if (a == native) native_kept = 1;
      else if (seccomp_arch_add(ctx, a) != 0) return 5;
    } else if (!strcmp(kw, "name")) {
      uint32_t a = seccomp_arch_resolve_name(strtok_r(NULL, " \n", &save));
      const char *name = strtok_r(NULL, " \n", &save);
      printf("%s %d\n", name, seccomp_syscall_resolve_name_arch(a, name));
      names_only = 1;
    } else if (!strcmp(kw, "rule")) {
      uint32_t act = (uint32_t)strtoul(strtok_r(NULL, " \n", &save), NULL, 0);
      const char *name = strtok_r(NULL, " \n", &save);
      int n = atoi(strtok_r(NULL, " \n", &save));
      struct scmp_arg_cmp cmp[6];
      for (int i = 0; i < n && i < 6; i++) {
        cmp[i].arg = (unsigned)atoi(strtok_r(NULL, " \n", &save));
        cmp[i].op = op_of(strtok_r(NULL, " \n", &save));
        cmp[i].datum_a = strtoull(strtok_r(NULL, " \n", &save), NULL, 0);
        cmp[i].datum_b = strtoull(strtok_r(NULL, " \n", &save), NULL, 0);
      }
      int nr = strcmp(name, "-1") == 0 ? -1 : seccomp_syscall_resolve_name(name);
      if (nr == __NR_SCMP_ERROR) continue; /* unknown everywhere: skipped, as runc does */
      int rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)n, cmp);
      if (rc != 0 && rc != -EEXIST) {
        fprintf(stderr, "seccomp_rule_add %s: %s\n", name, strerror(-rc));
        return 6;
      }
    }
  }
  if (names_only) return 0;
  if (!ctx) return 7;
  if (!native_kept) seccomp_arch_remove(ctx, native);
  int rc = seccomp_export_bpf(ctx, STDOUT_FILENO);
  seccomp_release(ctx);
  return rc == 0 ? 0 : 8;
}
