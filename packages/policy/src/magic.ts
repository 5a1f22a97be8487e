/**
 * The magic path: a sandboxed program changes or queries its policy with
 * stat("/dev/sb/CMD") (or "/dev/sydbox/CMD", sydbox-1's prefix), until the
 * magic lock forbids it. This is the parser and the state machine; the
 * supervisor calls `MagicState.handle` for stat-family calls.
 *
 * Answers, as the stat() call's result:
 *   0            command applied / query true / bare prefix (sandbox present)
 *   ENOENT       query false; or the lock is on (the path then does not exist)
 *   EINVAL       malformed command or value
 *   EBUSY        turning on a category whose syscalls the filter does not trace
 *   EPERM        `!` commands (sydbox cmd/exec), never run
 */

import { type CheckContext, Checker } from './checker.js';
import {
  applyMagicCommand,
  freeze,
  MagicCommandError,
  parseMagicCommand,
  toMutable,
} from './format/sydbox.js';
import type { Category, MagicLock, Policy } from './model.js';

/**
 * The stat-family calls that carry magic commands (`stat("/dev/sb/...")`): the
 * compiler traps them and the evaluator answers them, so both read this one list.
 */
export const MAGIC_STAT_CALLS: ReadonlySet<string> = new Set([
  'stat',
  'stat64',
  'lstat',
  'lstat64',
  'newfstatat',
  'fstatat64',
  'statx',
  'oldstat',
  'oldlstat',
]);

export const MAGIC_PREFIXES = ['/dev/sb', '/dev/sydbox'] as const;

/** Whether the magic path is answered at all at start (the filter must then trace the stat family). */
export function magicAllowed(policy: Policy): boolean {
  return policy.options.allow.magicPath && policy.options.magicLock !== 'on';
}

/** The command of a magic path (`''` for the bare prefix), or null when the path is not magic. */
export function parseMagicPath(path: Uint8Array): string | null {
  const s = Buffer.from(path).toString('utf8');
  for (const prefix of MAGIC_PREFIXES) {
    if (s === prefix) return '';
    if (s.startsWith(`${prefix}/`)) return s.slice(prefix.length + 1);
  }
  return null;
}

export interface MagicAnswer {
  /** null: success (stat returns 0). */
  readonly errno: 'ENOENT' | 'EINVAL' | 'EBUSY' | 'EPERM' | null;
  readonly message?: string;
  /** Whether the policy changed (the supervisor's checker is `state.checker`). */
  readonly changed: boolean;
}

export class MagicState {
  private policyNow: Policy;
  private checkerNow: Checker;
  /** Per-process lock (sydbox tracks it per process); absent = the policy's initial lock. */
  private readonly locks = new Map<number, MagicLock>();

  /**
   * @param traced categories whose syscalls the compiled filter traces; a
   *   category that is off there cannot be turned on at run time.
   */
  constructor(
    policy: Policy,
    private readonly traced: ReadonlySet<Category>,
    private readonly context: CheckContext = {},
  ) {
    this.policyNow = policy;
    this.checkerNow = new Checker(policy, context);
  }

  get policy(): Policy {
    return this.policyNow;
  }
  get checker(): Checker {
    return this.checkerNow;
  }

  lockOf(pid: number): MagicLock {
    return this.locks.get(pid) ?? this.policyNow.options.magicLock;
  }

  /** A child inherits its parent's lock. */
  onFork(parent: number, child: number): void {
    this.locks.set(child, this.lockOf(parent));
  }

  /** After a successful execve: an `exec` lock becomes `on`. */
  onExec(pid: number): void {
    if (this.lockOf(pid) === 'exec') this.locks.set(pid, 'on');
  }

  onExit(pid: number): void {
    this.locks.delete(pid);
  }

  /** Handle a stat-family call's resolved path; null when the path is not magic (check it normally). */
  handle(pid: number, path: Uint8Array): MagicAnswer | null {
    if (!this.policyNow.options.allow.magicPath) return null;
    const command = parseMagicPath(path);
    if (command === null) return null;
    if (this.lockOf(pid) === 'on') return { errno: 'ENOENT', changed: false, message: 'magic lock is on' };
    if (command === '') return { errno: null, changed: false };
    return this.apply(pid, command);
  }

  /** Apply one command for a process (as if it had stat()ed the magic path). */
  apply(pid: number, command: string): MagicAnswer {
    try {
      const cmd = parseMagicCommand(command);
      const next = toMutable(this.policyNow);
      const r = applyMagicCommand(next, cmd, command);
      if (cmd.op === '?') return { errno: r.answer ? null : 'ENOENT', changed: false };
      if (r.warning) return { errno: null, changed: false, message: r.warning };
      for (const c of Object.keys(next.sandbox) as Category[]) {
        if (next.sandbox[c] !== 'off' && this.policyNow.sandbox[c] === 'off' && !this.traced.has(c)) {
          return {
            errno: 'EBUSY',
            changed: false,
            message: `${c} sandboxing was off when the filter was built; its syscalls are not traced`,
          };
        }
      }
      if (cmd.key === 'core/trace/magic_lock') {
        // The lock is per process: it changes this process (and what its children inherit).
        this.locks.set(pid, next.options.magicLock);
        return { errno: null, changed: false };
      }
      const policy = freeze(next);
      const checker = new Checker(policy, this.context);
      checker.inheritBinds(this.checkerNow);
      this.checkerNow = checker;
      this.policyNow = policy;
      return { errno: null, changed: true };
    } catch (e) {
      if (e instanceof MagicCommandError) return { errno: e.errno, changed: false, message: e.message };
      return { errno: 'EINVAL', changed: false, message: (e as Error).message };
    }
  }
}
