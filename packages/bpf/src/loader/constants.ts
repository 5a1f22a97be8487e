/** include/uapi/linux/seccomp.h and prctl.h values the loader and probes use. */
export const PR_GET_SECCOMP = 21;
export const PR_SET_SECCOMP = 22;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_GET_NO_NEW_PRIVS = 39;

export const SECCOMP_MODE_FILTER = 2;

export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_GET_ACTION_AVAIL = 2;
export const SECCOMP_GET_NOTIF_SIZES = 3;

/** seccomp(2) filter flags by name. */
export const SECCOMP_FILTER_FLAGS = {
  TSYNC: 1 << 0,
  LOG: 1 << 1,
  SPEC_ALLOW: 1 << 2,
  NEW_LISTENER: 1 << 3,
  TSYNC_ESRCH: 1 << 4,
  WAIT_KILLABLE_RECV: 1 << 5,
} as const;

export type SeccompFlag = keyof typeof SECCOMP_FILTER_FLAGS;

export const ENOSYS = 38;
export const EINVAL = 22;
export const EFAULT = 14;
export const EOPNOTSUPP = 95;
export const EACCES = 13;
export const ESRCH = 3;
