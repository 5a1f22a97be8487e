/**
 * Deciding one syscall at run time: read its arguments from the tracee,
 * resolve paths, decode addresses and ask the checker for each operand.
 * The supervisor supplies memory access; everything else is here, so the
 * decision for (policy, syscall, arguments, file system) is testable.
 */

import { type Arch, getArch, syscallByName, syscallByNumber } from '@sb/syscalls';
import { AT, type OpenFlags, openFlagsFor, RENAME_NOREPLACE } from './arch/flags.js';
import type { Checker, Decision } from './checker.js';
import { SOCKETCALL_CHECKED } from './coverage.js';
import type { ErrnoName, Op } from './errno.js';
import { MAGIC_STAT_CALLS, type MagicAnswer, type MagicState } from './magic.js';
import type { Category } from './model.js';
import { decodeSockaddr, type SockAddr } from './net.js';
import { compilePathPattern, type PathMatcher } from './pattern.js';
import { type OperandPlan, planSyscall, type SyscallPlan } from './plan.js';
import { namespacePid, PATH_MAX, type PathResolver, type ResolveRequest } from './resolve.js';

/** Access to the tracee's memory; a failed read returns 'EFAULT'. */
export interface TraceeMemory {
  /** A NUL-terminated string of at most `max` bytes (without the NUL); longer: the first `max` bytes. */
  readString(addr: bigint, max: number): Uint8Array | 'EFAULT';
  read(addr: bigint, length: number): Uint8Array | 'EFAULT';
}

export interface SyscallEvent {
  readonly arch: string | Arch;
  /** Syscall number (as in seccomp_data.nr) or name. */
  readonly syscall: number | string;
  /** The six argument registers, unsigned. */
  readonly args: readonly bigint[];
  readonly pid: number;
  readonly tid?: number;
}

export interface SyscallVerdict {
  /**
   * 'magic': a stat of the magic path; the supervisor answers it without running the call:
   * `errno` null means return 0 (with a stat buffer of its choice), else fail with `errno`.
   */
  readonly decision: 'allow' | 'deny' | 'kill' | 'killall' | 'magic';
  readonly errno: ErrnoName | null;
  readonly report: boolean;
  readonly syscall: string;
  /** The checks made, in operand order; the deciding one is `decisive`. */
  readonly checks: readonly Decision[];
  readonly decisive: Decision | null;
  /** For 'magic': the answer (with a message for the report). */
  readonly magic?: MagicAnswer;
  /** An execve whose path matches exec/resume_if_match: stop sandboxing this process after it. */
  readonly resume?: boolean;
}

/** Open flags as categories: the open family's read/write/stat split. */
export function openCategories(flags: number, f: OpenFlags): Category[] {
  if (flags & f.O_PATH) return ['stat'];
  const acc = flags & f.O_ACCMODE;
  const out: Category[] = [];
  if (acc !== f.O_WRONLY) out.push('read');
  if (acc !== 0 || flags & (f.O_CREAT | f.O_TRUNC | f.O_TMPFILE_BIT)) out.push('write');
  return out;
}

function u32(v: bigint): number {
  return Number(v & 0xffffffffn);
}
function s32(v: bigint): number {
  return u32(v) | 0;
}

const NO_ERRNO_ALLOW = (syscall: string): SyscallVerdict => ({
  decision: 'allow',
  errno: null,
  report: false,
  syscall,
  checks: [],
  decisive: null,
});

export class SyscallEvaluator {
  private execMatchers: { kill: PathMatcher[]; resume: PathMatcher[] } | null = null;
  private execMatchersFor: Checker | null = null;

  /**
   * @param magic when given, stat-family calls on the magic path are answered by it, and its
   *   (changing) checker is used instead of `base`.
   */
  constructor(
    private readonly base: Checker,
    readonly resolver: PathResolver,
    readonly magic: MagicState | null = null,
  ) {}

  /** The checker in force (the magic path may have replaced the policy). */
  get checker(): Checker {
    return this.magic?.checker ?? this.base;
  }

  private execLists(): { kill: PathMatcher[]; resume: PathMatcher[] } {
    const checker = this.checker;
    if (this.execMatchers && this.execMatchersFor === checker) return this.execMatchers;
    const o = checker.policy.options;
    this.execMatchers = {
      kill: o.exec.killIfMatch.map((p) => compilePathPattern(p, o.match)),
      resume: o.exec.resumeIfMatch.map((p) => compilePathPattern(p, o.match)),
    };
    this.execMatchersFor = checker;
    return this.execMatchers;
  }

  evaluate(event: SyscallEvent, memory: TraceeMemory): SyscallVerdict {
    const arch = typeof event.arch === 'string' ? getArch(event.arch) : event.arch;
    const sc =
      typeof event.syscall === 'number'
        ? syscallByNumber(arch, event.syscall)
        : syscallByName(arch, event.syscall);
    const name = sc?.name ?? String(event.syscall);
    if (!sc) return this.verdict(name, [this.fail('write', 'ENOSYS' as ErrnoName, name)]);
    const plan = planSyscall(arch, sc);
    if (!plan) return NO_ERRNO_ALLOW(name);
    return this.evaluatePlan(arch, plan, event, memory);
  }

  private evaluatePlan(
    arch: Arch,
    plan: SyscallPlan,
    event: SyscallEvent,
    memory: TraceeMemory,
  ): SyscallVerdict {
    const policy = this.checker.policy;
    switch (plan.kind) {
      case 'deny-when-on': {
        const on = plan.categories.filter((c) => policy.sandbox[c] !== 'off');
        if (on.length === 0 || (plan.option && policy.options.unsafe[plan.option]))
          return NO_ERRNO_ALLOW(plan.name);
        return this.verdict(plan.name, [
          {
            decision: 'deny',
            errno: plan.errno,
            rule: null,
            reason: 'default',
            report: true,
            category: on[0]!,
            subject: `${plan.name}: ${plan.why}`,
          },
        ]);
      }
      case 'socketcall':
        return this.socketcall(arch, plan, event, memory);
      case 'net':
        return this.net(
          arch,
          event,
          plan.name,
          plan.category,
          plan.form,
          event.args[plan.addrReg] ?? 0n,
          plan.lenReg === undefined ? 0n : (event.args[plan.lenReg] ?? 0n),
          memory,
          // bind, connect, sendto, sendmsg, sendmmsg: the socket is the first argument.
          event.args[0] ?? -1n,
        );
      case 'path':
        return this.path(arch, plan, event, memory);
    }
  }

  private fail(category: Category, errno: ErrnoName, subject: string): Decision {
    return {
      decision: 'deny',
      errno,
      rule: null,
      reason: 'failure',
      report: this.checker.policy.options.violation.raiseFail,
      category,
      subject,
    };
  }

  private verdict(syscall: string, checks: Decision[]): SyscallVerdict {
    const rank = (d: Decision) =>
      d.decision === 'killall' ? 3 : d.decision === 'kill' ? 2 : d.decision === 'deny' ? 1 : 0;
    let decisive: Decision | null = null;
    for (const c of checks) if (!decisive || rank(c) > rank(decisive)) decisive = c;
    if (!decisive || decisive.decision === 'allow') {
      return {
        decision: 'allow',
        errno: null,
        report: checks.some((c) => c.report),
        syscall,
        checks,
        decisive: checks.find((c) => c.report) ?? decisive,
      };
    }
    return {
      decision: decisive.decision,
      errno: decisive.errno,
      report: decisive.report,
      syscall,
      checks,
      decisive,
    };
  }

  private path(
    arch: Arch,
    plan: Extract<SyscallPlan, { kind: 'path' }>,
    event: SyscallEvent,
    memory: TraceeMemory,
  ) {
    const policy = this.checker.policy;
    const a = event.args;
    const flagsTable = openFlagsFor(arch.name);
    let openFlags: number | null = null;
    if (plan.openFlagsReg !== undefined) openFlags = u32(a[plan.openFlagsReg] ?? 0n);
    if (plan.openHowReg !== undefined) {
      const how = memory.read(a[plan.openHowReg] ?? 0n, 8);
      if (how === 'EFAULT' || how.length < 8)
        return this.verdict(plan.name, [this.fail('write', 'EFAULT', plan.name)]);
      const view = new DataView(how.buffer, how.byteOffset, 8);
      const hi = arch.endian === 'little' ? view.getUint32(4, true) : view.getUint32(0, false);
      const lo = arch.endian === 'little' ? view.getUint32(0, true) : view.getUint32(4, false);
      // Flags above bit 31 are invalid for openat2 (EINVAL); keep them visible as "unknown" = write.
      openFlags = hi !== 0 ? 0xffffffff : lo;
    }
    if (this.magic && MAGIC_STAT_CALLS.has(plan.name)) {
      // sydbox matches the magic prefix on the path as given, before resolution (it does not exist).
      const reg = plan.operands[0]?.pathReg;
      const raw = reg === undefined ? 'EFAULT' : memory.readString(a[reg] ?? 0n, PATH_MAX);
      if (raw !== 'EFAULT') {
        const answer = this.magic.handle(event.pid, raw);
        if (answer) {
          return {
            decision: 'magic' as const,
            errno: answer.errno,
            report: false,
            syscall: plan.name,
            checks: [],
            decisive: null,
            magic: answer,
          };
        }
      }
    }
    const execLists = this.execLists();
    const atFlags = plan.atFlagsReg !== undefined ? u32(a[plan.atFlagsReg] ?? 0n) : 0;
    const renameFlags = plan.renameFlagsReg !== undefined ? u32(a[plan.renameFlagsReg] ?? 0n) : 0;
    const checks: Decision[] = [];
    let resume = false;
    for (const operand of plan.operands) {
      const o = operand.spec;
      if (operand.whenReg !== undefined && o.when && (u32(a[operand.whenReg] ?? 0n) & o.when.mask) === 0)
        continue;
      let categories: Category[];
      if (o.category === 'open') {
        if (!flagsTable || openFlags === null) {
          checks.push(this.fail('write', 'EACCES', `${plan.name}: unknown open flags on ${arch.name}`));
          continue;
        }
        categories = openCategories(openFlags, flagsTable);
      } else categories = [o.category];
      const active = categories.filter((c) => policy.sandbox[c] !== 'off');
      const execMatch = o.category === 'exec' && (execLists.kill.length > 0 || execLists.resume.length > 0);
      if (active.length === 0 && !execMatch) continue;
      const resolved = this.resolveOperand(operand, event, memory, {
        atFlags,
        openFlags,
        flagsTable,
      });
      if (resolved === 'skip') continue;
      let op: Op = o.op;
      if (o.category === 'open' && openFlags !== null && flagsTable) {
        const excl = flagsTable.O_CREAT | flagsTable.O_EXCL;
        if ((openFlags & excl) === excl) op = 'create-excl';
      }
      if (o.op === 'rename' && renameFlags & RENAME_NOREPLACE) op = 'create-excl';
      if (execMatch && resolved.ok) {
        const kill = execLists.kill.find((m) => m.matches(resolved.path));
        if (kill) {
          checks.push({
            decision: 'kill',
            errno: 'EACCES',
            rule: null,
            reason: 'kill-if-match',
            report: true,
            category: 'exec',
            subject: Buffer.from(resolved.path).toString('utf8'),
          });
        }
        if (execLists.resume.some((m) => m.matches(resolved.path))) resume = true;
      }
      if (active.length === 0) continue;
      if (!resolved.ok) {
        // Unresolvable: deny with the kernel's errno, unless that errno would reveal a hidden path.
        const hidden = this.checker.isHidden(resolved.at);
        const errno: ErrnoName = resolved.errno === 'EFAULT' || !hidden ? resolved.errno : 'ENOENT';
        checks.push(this.fail(active[0]!, errno, Buffer.from(resolved.at).toString('utf8')));
        continue;
      }
      // Write first: a denied write is the more important report.
      const order = [...active].sort((x, y) => (x === 'write' ? -1 : y === 'write' ? 1 : 0));
      const ids = this.ownIds(event, resolved.path);
      for (const category of order) {
        checks.push(
          this.checker.check({
            category,
            path: resolved.path,
            op,
            exists: resolved.exists,
            syscall: plan.name,
            ...ids,
          }),
        );
      }
    }
    const v = this.verdict(plan.name, checks);
    return resume && v.decision === 'allow' ? { ...v, resume } : v;
  }

  /** The caller's pid/tid as it sees them, for /proc/self rules (only read for /proc paths). */
  private ownIds(event: SyscallEvent, path: Uint8Array): { pid?: number; tid?: number } {
    if (path.length < 6 || Buffer.from(path.subarray(0, 6)).toString('latin1') !== '/proc/') return {};
    const pid = namespacePid(event.pid);
    const tid = event.tid === undefined || event.tid === event.pid ? pid : namespacePid(event.tid);
    return { pid, tid };
  }

  private resolveOperand(
    operand: OperandPlan,
    event: SyscallEvent,
    memory: TraceeMemory,
    flags: { atFlags: number; openFlags: number | null; flagsTable: OpenFlags | undefined },
  ) {
    const o = operand.spec;
    const a = event.args;
    const base = { pid: event.pid, ...(event.tid !== undefined ? { tid: event.tid } : {}) };
    if (operand.fdReg !== undefined) {
      // fd-based: the open file itself, through /proc/PID/fd/N.
      const fd = s32(a[operand.fdReg] ?? 0n);
      const req: ResolveRequest = {
        ...base,
        dirfd: fd,
        path: new Uint8Array(),
        followLast: true,
        lastMayBeMissing: false,
        emptyPath: true,
      };
      return this.resolver.resolve(req);
    }
    const ptr = a[operand.pathReg!] ?? 0n;
    let path: Uint8Array | { errno: 'EFAULT' } | null;
    if (ptr === 0n) {
      if (o.nullSkips) return 'skip' as const;
      path = o.emptyPath === 'null-path' ? null : { errno: 'EFAULT' };
    } else {
      const r = memory.readString(ptr, PATH_MAX);
      path = r === 'EFAULT' ? { errno: 'EFAULT' } : r;
    }
    const dirfd = operand.dirfdReg !== undefined ? s32(a[operand.dirfdReg] ?? 0n) : AT.FDCWD;
    let followLast = true;
    let missingOk = o.missingOk === true;
    switch (o.follow) {
      case 'nofollow':
        followLast = false;
        break;
      case 'at-nofollow':
        followLast = (flags.atFlags & AT.SYMLINK_NOFOLLOW) === 0;
        break;
      case 'at-follow':
        followLast = (flags.atFlags & AT.SYMLINK_FOLLOW) !== 0;
        break;
      case 'open-flags': {
        const f = flags.flagsTable;
        const of = flags.openFlags ?? 0;
        if (f) {
          // O_CREAT|O_EXCL does not follow a final symlink either.
          followLast = (of & f.O_NOFOLLOW) === 0 && (of & (f.O_CREAT | f.O_EXCL)) !== (f.O_CREAT | f.O_EXCL);
          if (o.missingOk === 'open-flags') missingOk = (of & f.O_CREAT) !== 0 && (of & f.O_PATH) === 0;
        }
        break;
      }
      default:
        break;
    }
    const emptyPath =
      o.emptyPath === 'always' ||
      o.emptyPath === 'null-path' ||
      (o.emptyPath === 'at-flag' && (flags.atFlags & AT.EMPTY_PATH) !== 0);
    return this.resolver.resolve({
      ...base,
      dirfd,
      path,
      followLast,
      lastMayBeMissing: missingOk,
      emptyPath,
    });
  }

  private readPointers(arch: Arch, memory: TraceeMemory, addr: bigint, count: number): bigint[] | 'EFAULT' {
    const size = arch.bits === 64 && arch.name !== 'x32' ? 8 : 4;
    const raw = memory.read(addr, size * count);
    if (raw === 'EFAULT' || raw.length < size * count) return 'EFAULT';
    const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
    const le = arch.endian === 'little';
    const out: bigint[] = [];
    for (let i = 0; i < count; i++)
      out.push(size === 8 ? v.getBigUint64(i * 8, le) : BigInt(v.getUint32(i * 4, le)));
    return out;
  }

  private socketcall(
    arch: Arch,
    plan: Extract<SyscallPlan, { kind: 'socketcall' }>,
    event: SyscallEvent,
    memory: TraceeMemory,
  ) {
    const calls = arch.multiplexers.socketcall!.calls;
    const call = u32(event.args[plan.callReg] ?? 0n);
    const sub = Object.entries(calls).find(([, n]) => n === call)?.[0];
    const check = sub ? SOCKETCALL_CHECKED[sub] : undefined;
    if (!sub || !check || check.kind !== 'net') return NO_ERRNO_ALLOW(`socketcall(${sub ?? call})`);
    if (this.checker.policy.sandbox[check.category] === 'off') return NO_ERRNO_ALLOW(`socketcall(${sub})`);
    // The sub-call's arguments, as in the direct syscall's register order.
    const direct = syscallByName(arch, sub) ?? syscallByName('i386', sub);
    const n = direct?.args.length ?? 6;
    const args = this.readPointers(arch, memory, event.args[plan.argsReg] ?? 0n, n);
    const name = `socketcall(${sub})`;
    if (args === 'EFAULT') return this.verdict(name, [this.fail(check.category, 'EFAULT', name)]);
    const kinds = direct?.args.map((x) => x.kind) ?? [];
    const addrKind = check.form === 'sockaddr' ? 'sockaddr' : check.form;
    const addrIdx = kinds.indexOf(addrKind);
    const lenIdx = check.form === 'sockaddr' ? kinds.indexOf('sockaddr_len') : kinds.indexOf('int');
    if (addrIdx < 0 || lenIdx < 0) return this.verdict(name, [this.fail(check.category, 'EFAULT', name)]);
    return this.net(
      arch,
      event,
      name,
      check.category,
      check.form,
      args[addrIdx] ?? 0n,
      args[lenIdx] ?? 0n,
      memory,
      args[0] ?? -1n,
    );
  }

  private net(
    arch: Arch,
    event: SyscallEvent,
    name: string,
    category: 'net/bind' | 'net/connect',
    form: 'sockaddr' | 'msghdr' | 'mmsghdr',
    addrArg: bigint,
    lenArg: bigint,
    memory: TraceeMemory,
    socketFd: bigint,
  ): SyscallVerdict {
    const fd = s32(socketFd);
    if (this.checker.policy.sandbox[category] === 'off') return NO_ERRNO_ALLOW(name);
    const ptrSize = arch.bits === 64 && arch.name !== 'x32' ? 8 : 4;
    const checkAddr = (ptr: bigint, len: number): Decision => {
      if (ptr === 0n) return this.checker.check({ category, syscall: name, pid: event.pid, socketFd: fd });
      if (len < 0 || len > 128) return this.fail(category, 'EINVAL', name);
      const raw = memory.read(ptr, len);
      if (raw === 'EFAULT') return this.fail(category, 'EFAULT', name);
      const d = decodeSockaddr(raw, len, arch.endian);
      if (!d.ok) return this.fail(category, d.errno, name);
      let address: SockAddr = d.addr;
      if (address.family === 'unix') {
        // Socket paths are paths: relative to the cwd, through symlinks (bind creates the last component).
        const bind = category === 'net/bind';
        const r = this.resolver.resolve({
          pid: event.pid,
          ...(event.tid !== undefined ? { tid: event.tid } : {}),
          dirfd: AT.FDCWD,
          path: address.path,
          followLast: !bind,
          lastMayBeMissing: bind,
        });
        if (!r.ok) return this.fail(category, r.errno === 'EFAULT' ? 'EFAULT' : r.errno, name);
        address = { family: 'unix', path: r.path };
      }
      return this.checker.check({ category, address, syscall: name, pid: event.pid, socketFd: fd });
    };
    if (form === 'sockaddr') return this.verdict(name, [checkAddr(addrArg, s32(lenArg))]);
    // struct msghdr { void *msg_name; socklen_t msg_namelen; ... } (56 or 28 bytes);
    // struct mmsghdr = msghdr + unsigned int, padded: 64 or 32 bytes per entry.
    const entrySize = ptrSize === 8 ? 64 : 32;
    const count = form === 'msghdr' ? 1 : Math.min(u32(lenArg), 1024);
    const checks: Decision[] = [];
    for (let i = 0; i < count; i++) {
      const raw = memory.read(addrArg + BigInt(i * entrySize), ptrSize + 4);
      if (raw === 'EFAULT' || raw.length < ptrSize + 4) {
        checks.push(this.fail(category, 'EFAULT', name));
        break;
      }
      const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
      const le = arch.endian === 'little';
      const ptr = ptrSize === 8 ? v.getBigUint64(0, le) : BigInt(v.getUint32(0, le));
      const len = v.getUint32(ptrSize, le);
      checks.push(checkAddr(ptr, len));
    }
    return this.verdict(name, checks);
  }
}
