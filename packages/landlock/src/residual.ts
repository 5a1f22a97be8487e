/**
 * Syscalls whose policy checks Landlock cannot make, by what they do. When Landlock
 * enforces the rest, the seccomp filter traps only these for the supervisor: the
 * "residual" of a translation. Names from every ABI; a name an ABI lacks is ignored.
 */

/** Metadata changes (policy category write): Landlock has no right for them. */
export const WRITE_METADATA = [
  'chmod',
  'fchmod',
  'fchmodat',
  'fchmodat2',
  'chown',
  'chown32',
  'lchown',
  'lchown32',
  'fchown',
  'fchown32',
  'fchownat',
  'utime',
  'utimes',
  'futimesat',
  'utimensat',
  'utimensat_time64',
  'setxattr',
  'lsetxattr',
  'fsetxattr',
  'setxattrat',
  'removexattr',
  'lremovexattr',
  'fremovexattr',
  'removexattrat',
  'file_setattr',
] as const;

/** Administrative calls the policy files under write (they need privileges Landlock does not remove). */
export const WRITE_ADMIN = ['swapon', 'swapoff', 'osf_swapon', 'acct', 'quotactl'] as const;

/** truncate by path, which Landlock checks only from ABI 3 (TRUNCATE). */
export const WRITE_TRUNCATE = ['truncate', 'truncate64'] as const;

/** Reads of metadata and watches (policy category read) that Landlock does not check. */
export const READ_METADATA = [
  'getxattr',
  'lgetxattr',
  'listxattr',
  'llistxattr',
  'getxattrat',
  'listxattrat',
  'inotify_add_watch',
  'fanotify_mark',
] as const;

/** Address-taking socket calls (net/bind, net/connect). */
export const NET_BIND = ['bind', 'socketcall'] as const;
export const NET_CONNECT = ['connect', 'sendto', 'sendmsg', 'sendmmsg', 'socketcall'] as const;

/** exec by path: for exec/kill_if_match and exec/resume_if_match, which act on the supervisor's side. */
export const EXEC = ['execve', 'execveat'] as const;
