import {
  SECCOMP_RET_ACTION_FULL,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_DATA,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_USER_NOTIF,
} from '../insn.js';

/** Actions whose 16 data bits mean something to the kernel (errno, si_errno, tracer message). */
export const ACTIONS_WITH_DATA: Readonly<Record<string, number>> = {
  ERRNO: SECCOMP_RET_ERRNO,
  TRAP: SECCOMP_RET_TRAP,
  TRACE: SECCOMP_RET_TRACE,
};

/** Actions without data. KILL is seccomp.h's historical alias of KILL_THREAD. */
export const ACTIONS_WITHOUT_DATA: Readonly<Record<string, number>> = {
  ALLOW: SECCOMP_RET_ALLOW,
  LOG: SECCOMP_RET_LOG,
  USER_NOTIF: SECCOMP_RET_USER_NOTIF,
  KILL_THREAD: SECCOMP_RET_KILL_THREAD,
  KILL: SECCOMP_RET_KILL_THREAD,
  KILL_PROCESS: SECCOMP_RET_KILL_PROCESS,
};

/** The largest errno the kernel lets a filter set (MAX_ERRNO); larger ERRNO data is capped to it. */
export const MAX_ERRNO = 4095;

const hex32 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

/**
 * The canonical text of a filter return value: `ALLOW`, `ERRNO(13)`, `TRACE(5)`,
 * `KILL_PROCESS`, ... Values that no name spells exactly (an action the kernel
 * does not know, or ALLOW with non-zero data bits) come out as 0x-prefixed hex,
 * so that the text always assembles back to the same 32 bits.
 */
export function actionName(action: number): string {
  const v = action >>> 0;
  const full = (v & SECCOMP_RET_ACTION_FULL) >>> 0;
  const data = v & SECCOMP_RET_DATA;
  for (const [name, base] of Object.entries(ACTIONS_WITH_DATA)) {
    if (full === base) return `${name}(${data})`;
  }
  if (data === 0) {
    for (const [name, base] of Object.entries(ACTIONS_WITHOUT_DATA)) {
      if (name !== 'KILL' && full === base >>> 0) return name;
    }
  }
  return hex32(v);
}

/** What the kernel does with a (final) return value, as __seccomp_filter() reads it. */
export type ActionKind =
  | 'allow'
  | 'log'
  | 'errno'
  | 'trap'
  | 'trace'
  | 'user_notif'
  | 'kill_thread'
  | 'kill_process';

export interface ActionEffect {
  readonly kind: ActionKind;
  /** errno (capped at MAX_ERRNO) for 'errno', si_errno for 'trap', the tracer's message for 'trace'. */
  readonly data: number;
}

/** How the kernel treats a return value. Unknown actions are treated as KILL_PROCESS, as the kernel does. */
export function actionEffect(action: number): ActionEffect {
  const v = action >>> 0;
  const full = (v & SECCOMP_RET_ACTION_FULL) >>> 0;
  const data = v & SECCOMP_RET_DATA;
  switch (full) {
    case SECCOMP_RET_ALLOW:
      return { kind: 'allow', data };
    case SECCOMP_RET_LOG:
      return { kind: 'log', data };
    case SECCOMP_RET_ERRNO:
      return { kind: 'errno', data: Math.min(data, MAX_ERRNO) };
    case SECCOMP_RET_TRAP:
      return { kind: 'trap', data };
    case SECCOMP_RET_TRACE:
      return { kind: 'trace', data };
    case SECCOMP_RET_USER_NOTIF:
      return { kind: 'user_notif', data };
    case SECCOMP_RET_KILL_THREAD:
      return { kind: 'kill_thread', data };
    default:
      return { kind: 'kill_process', data };
  }
}

/** The signed 32-bit rank the kernel compares across stacked filters (ACTION_ONLY()): lower wins. */
export function actionRank(action: number): number {
  return ((action >>> 0) & SECCOMP_RET_ACTION_FULL) | 0;
}
