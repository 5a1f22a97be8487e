import { ACTIONS_WITH_DATA, ACTIONS_WITHOUT_DATA, actionName } from '../emulator/actions.js';
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
import { errnoNumber } from './errno.js';

/** Builders for filter return values. */
export const action = {
  allow: SECCOMP_RET_ALLOW,
  log: SECCOMP_RET_LOG,
  userNotif: SECCOMP_RET_USER_NOTIF,
  killThread: SECCOMP_RET_KILL_THREAD,
  killProcess: SECCOMP_RET_KILL_PROCESS,
  errno: (n: number): number => withData(SECCOMP_RET_ERRNO, n, 'ERRNO'),
  trap: (n = 0): number => withData(SECCOMP_RET_TRAP, n, 'TRAP'),
  trace: (n = 0): number => withData(SECCOMP_RET_TRACE, n, 'TRACE'),
} as const;

function withData(base: number, n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffff) {
    throw new RangeError(`${what}(${n}): the data of a seccomp action is 0..65535`);
  }
  return (base | n) >>> 0;
}

const ACTION_SPELLINGS =
  'ALLOW, LOG, USER_NOTIF, KILL_THREAD, KILL_PROCESS, ERRNO(n|ENAME), TRAP(n), TRACE(n)';

/**
 * Parses `ALLOW`, `ERRNO(1)`, `ERRNO(EPERM)`, `TRAP(0)`, `TRACE(7)`, `LOG`, `USER_NOTIF`,
 * `KILL_THREAD`, `KILL_PROCESS` (case-insensitive; `KILL` is KILL_THREAD as in seccomp.h).
 * Throws a RangeError naming the accepted spellings.
 */
export function parseAction(text: string): number {
  const t = text.trim();
  const m = /^([A-Za-z_]+)\s*(?:\(\s*([A-Za-z0-9_]+)\s*\))?$/.exec(t);
  if (m) {
    const name = (m[1] ?? '').toUpperCase();
    const arg = m[2];
    const withBase = ACTIONS_WITH_DATA[name];
    if (withBase !== undefined) {
      let n: number | undefined;
      if (arg === undefined) n = name === 'ERRNO' ? undefined : 0;
      else if (/^\d+$/.test(arg)) n = Number(arg);
      else if (/^0x[0-9a-f]+$/i.test(arg)) n = Number.parseInt(arg, 16);
      else if (name === 'ERRNO') {
        n = errnoNumber(arg);
        if (n === undefined) throw new RangeError(`unknown errno name "${arg}" in "${text}"`);
      }
      if (n === undefined) throw new RangeError(`"${text}": ${name} needs a number, e.g. ${name}(1)`);
      return withData(withBase, n, name);
    }
    const plain = ACTIONS_WITHOUT_DATA[name];
    if (plain !== undefined && arg === undefined) return plain >>> 0;
  }
  throw new RangeError(`unknown action "${text}" (expected one of ${ACTION_SPELLINGS})`);
}

/** The canonical text of an action: `ALLOW`, `ERRNO(1)`, ... (the emulator's spelling). */
export function formatAction(value: number): string {
  return actionName(value);
}
