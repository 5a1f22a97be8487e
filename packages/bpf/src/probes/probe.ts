import {
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_USER_NOTIF,
} from '../insn.js';
import {
  EFAULT,
  EINVAL,
  ENOSYS,
  EOPNOTSUPP,
  PR_GET_SECCOMP,
  PR_SET_SECCOMP,
  SECCOMP_FILTER_FLAGS,
  SECCOMP_GET_ACTION_AVAIL,
  SECCOMP_GET_NOTIF_SIZES,
  SECCOMP_MODE_FILTER,
  SECCOMP_SET_MODE_FILTER,
  type SeccompFlag,
} from '../loader/constants.js';
import { libc } from '../loader/libc.js';

export const PROBED_ACTIONS = {
  KILL_PROCESS: SECCOMP_RET_KILL_PROCESS,
  KILL_THREAD: SECCOMP_RET_KILL_THREAD,
  TRAP: SECCOMP_RET_TRAP,
  ERRNO: SECCOMP_RET_ERRNO,
  USER_NOTIF: SECCOMP_RET_USER_NOTIF,
  TRACE: SECCOMP_RET_TRACE,
  LOG: SECCOMP_RET_LOG,
  ALLOW: SECCOMP_RET_ALLOW,
} as const;
export type ProbedAction = keyof typeof PROBED_ACTIONS;

export interface NotifSizes {
  /** sizeof(struct seccomp_notif) */
  readonly notif: number;
  /** sizeof(struct seccomp_notif_resp) */
  readonly resp: number;
  /** sizeof(struct seccomp_data) */
  readonly data: number;
}

export interface SeccompFeatures {
  /** The calling thread's current seccomp mode (0 none, 1 strict, 2 filter), from PR_GET_SECCOMP. */
  readonly currentMode: number | null;
  /** prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL) fails with EFAULT, not EINVAL. */
  readonly filterMode: boolean;
  /** seccomp(2) exists (not ENOSYS). */
  readonly seccompSyscall: boolean;
  /** SECCOMP_GET_ACTION_AVAIL per action; null when the kernel lacks that operation (before 4.14). */
  readonly actions: Readonly<Record<ProbedAction, boolean | null>>;
  /** Each SECCOMP_SET_MODE_FILTER flag the kernel accepts. */
  readonly flags: Readonly<Record<SeccompFlag, boolean>>;
  /** SECCOMP_GET_NOTIF_SIZES, or null when unsupported (before 5.0). */
  readonly notifSizes: NotifSizes | null;
}

/**
 * Whether seccomp(SECCOMP_SET_MODE_FILTER) accepts these flag bits, asked with a NULL
 * program: the kernel rejects unknown or conflicting flags with EINVAL before it copies
 * the program, which then fails with EFAULT. Nothing is ever installed.
 */
export function filterFlagsAccepted(bits: number): boolean {
  const c = libc();
  const r = c.syscall(
    c.nr('seccomp'),
    'unsigned int',
    SECCOMP_SET_MODE_FILTER,
    'unsigned int',
    bits >>> 0,
    'void *',
    null,
  );
  if (r !== -1)
    throw new Error(`seccomp(SET_MODE_FILTER, 0x${bits.toString(16)}, NULL) unexpectedly succeeded`);
  const e = c.errno();
  if (e === EFAULT) return true;
  if (e === EINVAL || e === ENOSYS) return false;
  throw new Error(`seccomp(SET_MODE_FILTER, 0x${bits.toString(16)}, NULL) failed with errno ${e}`);
}

/**
 * Asks the kernel what seccomp can do here, by trying calls and reading errno. Nothing is
 * installed: flag probes pass a NULL program, and the kernel validates the flags (EINVAL)
 * before it copies the program (EFAULT) — see seccomp_set_mode_filter() in kernel/seccomp.c.
 * WAIT_KILLABLE_RECV is probed together with NEW_LISTENER, which it requires.
 */
export function probeSeccomp(): SeccompFeatures {
  const c = libc();
  const seccompNr = c.nr('seccomp');
  const mode = c.prctl(PR_GET_SECCOMP, 0);
  const currentMode = mode >= 0 ? mode : null;
  const filterMode = c.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER) === -1 && c.errno() === EFAULT;

  // Kernel structures are in host byte order: typed arrays use it too.
  const avail = new Uint32Array([SECCOMP_RET_ALLOW >>> 0]);
  const first = c.syscall(
    seccompNr,
    'unsigned int',
    SECCOMP_GET_ACTION_AVAIL,
    'unsigned int',
    0,
    'void *',
    avail,
  );
  const firstErrno = first === 0 ? 0 : c.errno();
  const seccompSyscall = !(first === -1 && firstErrno === ENOSYS);
  const hasActionAvail = first === 0;

  const actions = {} as Record<ProbedAction, boolean | null>;
  for (const [name, value] of Object.entries(PROBED_ACTIONS) as [ProbedAction, number][]) {
    if (!hasActionAvail) {
      actions[name] = null;
      continue;
    }
    avail[0] = value >>> 0;
    const r = c.syscall(
      seccompNr,
      'unsigned int',
      SECCOMP_GET_ACTION_AVAIL,
      'unsigned int',
      0,
      'void *',
      avail,
    );
    actions[name] = r === 0 ? true : c.errno() === EOPNOTSUPP ? false : null;
  }

  const flags = {} as Record<SeccompFlag, boolean>;
  for (const [name, bit] of Object.entries(SECCOMP_FILTER_FLAGS) as [SeccompFlag, number][]) {
    const bits = name === 'WAIT_KILLABLE_RECV' ? bit | SECCOMP_FILTER_FLAGS.NEW_LISTENER : bit;
    flags[name] = seccompSyscall && filterFlagsAccepted(bits);
  }

  let notifSizes: NotifSizes | null = null;
  if (seccompSyscall) {
    const sizes = new Uint16Array(3);
    if (
      c.syscall(seccompNr, 'unsigned int', SECCOMP_GET_NOTIF_SIZES, 'unsigned int', 0, 'void *', sizes) === 0
    ) {
      notifSizes = { notif: sizes[0] ?? 0, resp: sizes[1] ?? 0, data: sizes[2] ?? 0 };
    }
  }
  return { currentMode, filterMode, seccompSyscall, actions, flags, notifSizes };
}
