/**
 * When interfaces that are not whole syscalls appeared (whole syscalls come from
 * @sb/syscalls' `since`). Sources: ptrace(2), prctl(2), seccomp(2), unshare(2),
 * namespaces(7), and include/uapi/linux/{ptrace,prctl,seccomp,sched}.h history.
 */

/** PTRACE_O_* option bits for PTRACE_SETOPTIONS and PTRACE_SEIZE: newer ones fail with EINVAL. */
export const PTRACE_OPTIONS: readonly { name: string; bit: number; since: string }[] = [
  { name: 'PTRACE_O_TRACESECCOMP', bit: 1 << 7, since: '3.5' },
  { name: 'PTRACE_O_EXITKILL', bit: 1 << 20, since: '3.8' },
  { name: 'PTRACE_O_SUSPEND_SECCOMP', bit: 1 << 21, since: '4.3' },
];

export const PTRACE_SETOPTIONS = 0x4200;
export const PTRACE_SEIZE = 0x4206;

/** ptrace requests: a newer one fails with EIO (ptrace_request()'s default). */
export const PTRACE_REQUESTS: readonly { name: string; request: number; since: string }[] = [
  { name: 'PTRACE_SEIZE', request: 0x4206, since: '3.4' },
  { name: 'PTRACE_INTERRUPT', request: 0x4207, since: '3.4' },
  { name: 'PTRACE_LISTEN', request: 0x4208, since: '3.4' },
  { name: 'PTRACE_PEEKSIGINFO', request: 0x4209, since: '3.10' },
  { name: 'PTRACE_GETSIGMASK', request: 0x420a, since: '3.11' },
  { name: 'PTRACE_SETSIGMASK', request: 0x420b, since: '3.11' },
  { name: 'PTRACE_SECCOMP_GET_FILTER', request: 0x420c, since: '4.4' },
  { name: 'PTRACE_SECCOMP_GET_METADATA', request: 0x420d, since: '4.16' },
  { name: 'PTRACE_GET_SYSCALL_INFO', request: 0x420e, since: '5.3' },
  { name: 'PTRACE_GET_RSEQ_CONFIGURATION', request: 0x420f, since: '5.13' },
  { name: 'PTRACE_SET_SYSCALL_USER_DISPATCH_CONFIG', request: 0x4210, since: '6.2' },
  { name: 'PTRACE_GET_SYSCALL_USER_DISPATCH_CONFIG', request: 0x4211, since: '6.2' },
  { name: 'PTRACE_SET_SYSCALL_INFO', request: 0x4212, since: '6.16' },
];

/** prctl options: a newer one fails with EINVAL. */
export const PRCTL_OPTIONS: readonly { name: string; option: number; since: string }[] = [
  { name: 'PR_SET_CHILD_SUBREAPER', option: 36, since: '3.4' },
  { name: 'PR_GET_CHILD_SUBREAPER', option: 37, since: '3.4' },
  { name: 'PR_SET_NO_NEW_PRIVS', option: 38, since: '3.5' },
  { name: 'PR_GET_NO_NEW_PRIVS', option: 39, since: '3.5' },
  { name: 'PR_GET_TID_ADDRESS', option: 40, since: '3.5' },
  { name: 'PR_SET_THP_DISABLE', option: 41, since: '3.15' },
  { name: 'PR_GET_THP_DISABLE', option: 42, since: '3.15' },
  { name: 'PR_SET_FP_MODE', option: 45, since: '4.0' },
  { name: 'PR_GET_FP_MODE', option: 46, since: '4.0' },
  { name: 'PR_CAP_AMBIENT', option: 47, since: '4.3' },
  { name: 'PR_SVE_SET_VL', option: 50, since: '4.15' },
  { name: 'PR_SVE_GET_VL', option: 51, since: '4.15' },
  { name: 'PR_GET_SPECULATION_CTRL', option: 52, since: '4.17' },
  { name: 'PR_SET_SPECULATION_CTRL', option: 53, since: '4.17' },
  { name: 'PR_PAC_RESET_KEYS', option: 54, since: '5.0' },
  { name: 'PR_SET_TAGGED_ADDR_CTRL', option: 55, since: '5.4' },
  { name: 'PR_GET_TAGGED_ADDR_CTRL', option: 56, since: '5.4' },
  { name: 'PR_SET_IO_FLUSHER', option: 57, since: '5.6' },
  { name: 'PR_GET_IO_FLUSHER', option: 58, since: '5.6' },
  { name: 'PR_SET_SYSCALL_USER_DISPATCH', option: 59, since: '5.11' },
  { name: 'PR_SCHED_CORE', option: 62, since: '5.14' },
  { name: 'PR_SET_MDWE', option: 65, since: '6.3' },
  { name: 'PR_GET_MDWE', option: 66, since: '6.3' },
  { name: 'PR_SET_MEMORY_MERGE', option: 67, since: '6.4' },
  { name: 'PR_GET_MEMORY_MERGE', option: 68, since: '6.4' },
  { name: 'PR_GET_AUXV', option: 0x41555856, since: '6.4' },
  { name: 'PR_SET_VMA', option: 0x53564d41, since: '5.17' },
];

/** seccomp(2) operations: a newer one fails with EINVAL. */
export const SECCOMP_OPERATIONS: readonly { name: string; op: number; since: string }[] = [
  { name: 'SECCOMP_GET_ACTION_AVAIL', op: 2, since: '4.14' },
  { name: 'SECCOMP_GET_NOTIF_SIZES', op: 3, since: '5.0' },
];

export const SECCOMP_SET_MODE_FILTER = 1;

/** SECCOMP_SET_MODE_FILTER flags: a newer one fails with EINVAL. */
export const SECCOMP_FLAGS: readonly { name: string; bit: number; since: string }[] = [
  { name: 'SECCOMP_FILTER_FLAG_TSYNC', bit: 1, since: '3.17' },
  { name: 'SECCOMP_FILTER_FLAG_LOG', bit: 2, since: '4.14' },
  { name: 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', bit: 4, since: '4.17' },
  { name: 'SECCOMP_FILTER_FLAG_NEW_LISTENER', bit: 8, since: '5.0' },
  { name: 'SECCOMP_FILTER_FLAG_TSYNC_ESRCH', bit: 16, since: '5.7' },
  { name: 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV', bit: 32, since: '5.19' },
];

/**
 * unshare(2) flags: a newer one fails with EINVAL (unshare checks its flags). `usable`
 * is when it first worked: CLONE_NEWPID was accepted by clone(2) long before unshare(2)
 * took it (3.8), and CLONE_NEWUSER was not usable before 3.8 (user_namespaces(7)).
 */
export const UNSHARE_FLAGS: readonly { name: string; bit: number; since: string }[] = [
  { name: 'CLONE_NEWPID', bit: 0x20000000, since: '3.8' },
  { name: 'CLONE_NEWUSER', bit: 0x10000000, since: '3.8' },
  { name: 'CLONE_NEWCGROUP', bit: 0x02000000, since: '4.6' },
  { name: 'CLONE_NEWTIME', bit: 0x00000080, since: '5.6' },
];

/**
 * clone(2) flags that fail with EINVAL before a version. clone(2) ignored bits it did
 * not know before clone3, so only flags it knew but refused are listed: CLONE_NEWUSER
 * was defined long before user namespaces became usable in 3.8.
 */
export const CLONE_FLAGS: readonly { name: string; bit: number; since: string }[] = [
  { name: 'CLONE_NEWUSER', bit: 0x10000000, since: '3.8' },
];

/**
 * Features the filter cannot make look old, because they are kernel behaviour rather
 * than an interface that answers with an error. Emulated cells report them as
 * "not emulated" instead of comparing them.
 */
export const NOT_EMULATED: readonly { feature: string; why: string }[] = [
  {
    feature: 'ptrace.seccompOrder',
    why: 'the order of syscall-entry and seccomp stops (changed in 4.8) is not an interface a filter can change',
  },
];
