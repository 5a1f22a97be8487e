/**
 * The runtime checker: given a category and a resolved path or a decoded
 * address, the decision, its errno and the rule that took it.
 */

import { denyErrno, type ErrnoName, isSafeDenial, type Op } from './errno.js';
import type { Category, Policy, Rule, RuleAction, SourceLocation } from './model.js';
import {
  type AddressPattern,
  type AddressSide,
  addressMatches,
  canonicalAddress,
  formatSockAddr,
  parseAddressPattern,
  type SockAddr,
} from './net.js';
import { compilePathPattern, type PathMatcher, toBytes } from './pattern.js';

export type Verdict = 'allow' | 'deny' | 'kill' | 'killall';

export interface MatchedRule {
  readonly index: number;
  readonly action: RuleAction;
  readonly category: Category;
  readonly pattern: string;
  readonly source?: SourceLocation;
}

/** Why the decision was taken, when no rule matched or an automatic allowance applied. */
export type DecisionReason =
  | 'rule'
  | 'default'
  | 'off'
  | 'per-process-directory'
  | 'successful-bind'
  | 'unsupported-family'
  | 'no-address'
  | 'kill-if-match'
  | 'failure';

export interface Decision {
  readonly decision: Verdict;
  /** The errno for a denial (also set for kill/killall, in case the process outlives the signal). */
  readonly errno: ErrnoName | null;
  readonly rule: MatchedRule | null;
  readonly reason: DecisionReason;
  /** Whether this should be reported as an access violation. */
  readonly report: boolean;
  readonly category: Category;
  /** What was checked, printable: the path (lossy UTF-8) or the address. */
  readonly subject: string;
}

export interface CheckRequest {
  readonly category: Category;
  /** The resolved absolute path inside the tracee's root (path categories). */
  readonly path?: Uint8Array;
  /** The decoded address (net categories). Absent for sendto/sendmsg without an address. */
  readonly address?: SockAddr;
  /** The operation, for the errno (default: 'open' for paths, 'bind'/'connect' for addresses). */
  readonly op?: Op;
  /** Whether the object exists (create-excl gives EEXIST for visible existing paths). */
  readonly exists?: boolean;
  readonly syscall?: string;
  /** The calling process and thread as the tracee sees them: rules naming /proc/self or /proc/thread-self match their directories. */
  readonly pid?: number;
  readonly tid?: number;
  /** The socket a net call uses (its fd in `pid`): the successful-bind allowance compares its kind. */
  readonly socketFd?: number;
}

export interface CheckContext {
  /** PIDs and TIDs (as the tracee sees them) of the sandbox's own processes, for /proc/PID allowances. */
  readonly isSandboxPid?: (pid: number) => boolean;
  /**
   * The kind of socket `fd` of process `pid` (type and protocol, e.g. "1/6" for TCP), or
   * null when it cannot be told. Without it, or with null, no successful-bind allowance applies.
   */
  readonly socketKind?: (pid: number, fd: number) => string | null;
}

/** A successful bind: the address, and the kind of socket that holds it. */
interface BoundAddress {
  readonly address: SockAddr;
  readonly kind: string;
}

interface CompiledPathRule {
  readonly index: number;
  readonly rule: Rule;
  readonly matcher: PathMatcher;
}
interface CompiledNetRule {
  readonly index: number;
  readonly rule: Rule;
  readonly matchers: readonly AddressPattern[];
}

export class PolicyCompileError extends Error {
  constructor(
    message: string,
    readonly source?: SourceLocation,
  ) {
    super(
      source
        ? `${source.file}:${source.line}${source.column ? `:${source.column}` : ''}: ${message}`
        : message,
    );
    this.name = 'PolicyCompileError';
  }
}

function patternText(p: string | Uint8Array): string {
  return typeof p === 'string' ? p : Buffer.from(p).toString('utf8');
}

const PROC_PID = /^\/proc\/([0-9]+)(?:\/|$)/;

export class Checker {
  private readonly pathRules = new Map<Category, CompiledPathRule[]>();
  private readonly netRules = new Map<Category, CompiledNetRule[]>();
  private readonly quiet = new Map<Category, (PathMatcher | AddressPattern)[]>();
  private readonly boundAddresses: BoundAddress[] = [];

  constructor(
    readonly policy: Policy,
    private readonly context: CheckContext = {},
  ) {
    const opts = policy.options.match;
    policy.rules.forEach((rule, index) => {
      try {
        if (rule.category.startsWith('net/')) {
          const list = this.netRules.get(rule.category) ?? [];
          list.push({ index, rule, matchers: parseAddressPattern(patternText(rule.pattern), opts) });
          this.netRules.set(rule.category, list);
        } else {
          const list = this.pathRules.get(rule.category) ?? [];
          list.push({ index, rule, matcher: compilePathPattern(toBytes(rule.pattern), opts) });
          this.pathRules.set(rule.category, list);
        }
      } catch (e) {
        throw new PolicyCompileError((e as Error).message, rule.source);
      }
    });
    for (const q of policy.quiet) {
      const list = this.quiet.get(q.category) ?? [];
      try {
        if (q.category.startsWith('net/')) list.push(...parseAddressPattern(patternText(q.pattern), opts));
        else list.push(compilePathPattern(toBytes(q.pattern), opts));
      } catch (e) {
        throw new PolicyCompileError((e as Error).message, q.source);
      }
      this.quiet.set(q.category, list);
    }
  }

  /** Take over another checker's recorded binds (a policy changed through the magic path). */
  inheritBinds(from: Checker): void {
    this.boundAddresses.push(...from.boundAddresses);
  }

  /**
   * Record the address of a successful bind(2) (after getsockname, so port 0 is the real
   * port) and the kind of the socket that holds it (CheckContext.socketKind). Only a
   * socket of the same kind may then connect to it: a UDP bind of port P must not open
   * TCP connects to whatever host service listens on P. An unknown kind records nothing.
   */
  recordSuccessfulBind(address: SockAddr, kind: string | null): boolean {
    if (!this.policy.options.allow.successfulBind || kind === null) return false;
    if ((address.family === 'inet' || address.family === 'inet6') && address.port === 0) return false;
    if (address.family === 'other' || address.family === 'unix-unnamed') return false;
    this.boundAddresses.push({ address: canonicalAddress(address, 'connect'), kind });
    return true;
  }

  /** The decision for one check. Never throws. */
  check(req: CheckRequest): Decision {
    const mode = this.policy.sandbox[req.category];
    const isNet = req.category.startsWith('net/');
    const subject = isNet
      ? req.address
        ? formatSockAddr(req.address)
        : '(no address)'
      : Buffer.from(req.path ?? new Uint8Array()).toString('utf8');
    const base = { category: req.category, subject };
    if (mode === 'off')
      return { ...base, decision: 'allow', errno: null, rule: null, reason: 'off', report: false };
    if (isNet) return this.checkNet(req, base);
    if (req.path?.[0] !== 0x2f) return this.failure(base, 'EFAULT');
    return this.checkPath(req, req.path!, base);
  }

  /** A denial for a failure to read or resolve an argument (reported only with raise_fail). */
  failure(base: { category: Category; subject: string }, errno: ErrnoName): Decision {
    return {
      ...base,
      decision: 'deny',
      errno,
      rule: null,
      reason: 'failure',
      report: this.policy.options.violation.raiseFail,
    };
  }

  /** Whether stat would deny this path: it is hidden, so errnos must not reveal its existence. */
  isHidden(path: Uint8Array, pid?: number, tid?: number): boolean {
    if (this.policy.sandbox.stat === 'off') return false;
    const r = this.evaluatePath('stat', path, pid, tid);
    return r.action !== 'allow' && r.action !== 'warn';
  }

  /** The names a path has for rules: itself, and /proc/self/... or /proc/thread-self/... for the caller's own. */
  private aliases(path: Uint8Array, pid?: number, tid?: number): Uint8Array[] {
    if (pid === undefined) return [path];
    const s = Buffer.from(path).toString('latin1');
    const out = [path];
    const own = `/proc/${pid}`;
    if (tid !== undefined) {
      const t = `${own}/task/${tid}`;
      if (s === t || s.startsWith(`${t}/`))
        out.push(Buffer.from(`/proc/thread-self${s.slice(t.length)}`, 'latin1'));
    }
    if (s === own || s.startsWith(`${own}/`))
      out.push(Buffer.from(`/proc/self${s.slice(own.length)}`, 'latin1'));
    return out;
  }

  private evaluatePath(
    category: Category,
    path: Uint8Array,
    pid?: number,
    tid?: number,
  ): { action: RuleAction; rule: CompiledPathRule | null } {
    const rules = this.pathRules.get(category) ?? [];
    const names = this.aliases(path, pid, tid);
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i]!;
      if (names.some((n) => r.matcher.matches(n))) return { action: r.rule.action, rule: r };
    }
    return { action: this.policy.sandbox[category] === 'deny' ? 'deny' : 'allow', rule: null };
  }

  private perProcessAllowed(category: Category, path: Uint8Array): boolean {
    if (!this.policy.options.allow.perProcessDirectories || category === 'exec') return false;
    const m = PROC_PID.exec(Buffer.from(path).toString('latin1'));
    if (!m) return false;
    const pid = Number(m[1]);
    return this.context.isSandboxPid?.(pid) === true;
  }

  private checkPath(
    req: CheckRequest,
    path: Uint8Array,
    base: { category: Category; subject: string },
  ): Decision {
    const { action, rule } = this.evaluatePath(req.category, path, req.pid, req.tid);
    const matched = rule
      ? {
          index: rule.index,
          action: rule.rule.action,
          category: rule.rule.category,
          pattern: patternText(rule.rule.pattern),
          ...(rule.rule.source ? { source: rule.rule.source } : {}),
        }
      : null;
    if (action === 'allow' || action === 'warn') {
      return {
        ...base,
        decision: 'allow',
        errno: null,
        rule: matched,
        reason: rule ? 'rule' : 'default',
        report: action === 'warn',
      };
    }
    // A default denial is lifted by the automatic allowances; an explicit rule is not.
    if (!rule && this.perProcessAllowed(req.category, path)) {
      return {
        ...base,
        decision: 'allow',
        errno: null,
        rule: null,
        reason: 'per-process-directory',
        report: false,
      };
    }
    const op = req.op ?? 'open';
    const ctx = {
      exists: req.exists === true,
      hidden: req.category === 'stat' || this.isHidden(path, req.pid, req.tid),
    };
    const quiet = this.isQuiet(req.category, (m) => 'matches' in m && m.matches(path));
    return this.deny(action, matched, op, ctx, base, quiet);
  }

  private isQuiet(category: Category, test: (m: PathMatcher | AddressPattern) => boolean): boolean {
    return (this.quiet.get(category) ?? []).some(test);
  }

  private deny(
    action: RuleAction,
    matched: MatchedRule | null,
    op: Op,
    ctx: { exists: boolean; hidden: boolean },
    base: { category: Category; subject: string },
    quiet: boolean,
  ): Decision {
    const errno = denyErrno(op, ctx);
    const reason: DecisionReason = matched ? 'rule' : 'default';
    const safe = isSafeDenial(op, ctx) && !this.policy.options.violation.raiseSafe;
    if (action === 'filter')
      return { ...base, decision: 'deny', errno, rule: matched, reason, report: false };
    if (action === 'kill' || action === 'killall')
      return { ...base, decision: action, errno, rule: matched, reason, report: true };
    // 'deny' (a rule or the default): modulated by core/violation/decision.
    if (safe) return { ...base, decision: 'deny', errno, rule: matched, reason, report: false };
    switch (this.policy.options.violation.decision) {
      case 'cont':
        return { ...base, decision: 'allow', errno: null, rule: matched, reason, report: !quiet };
      case 'kill':
      case 'killall':
        return {
          ...base,
          decision: this.policy.options.violation.decision,
          errno,
          rule: matched,
          reason,
          report: true,
        };
      default:
        return { ...base, decision: 'deny', errno, rule: matched, reason, report: !quiet };
    }
  }

  private checkNet(req: CheckRequest, base: { category: Category; subject: string }): Decision {
    const side: AddressSide = req.category === 'net/bind' ? 'bind' : 'connect';
    const op: Op = req.op ?? side;
    if (!req.address) {
      // sendto/sendmsg on a connected socket: the connect was checked.
      return { ...base, decision: 'allow', errno: null, rule: null, reason: 'no-address', report: false };
    }
    const addr = canonicalAddress(req.address, side);
    if (addr.family === 'other' || addr.family === 'unix-unnamed') {
      if (addr.family === 'unix-unnamed' || this.policy.options.allow.unsupportedSocketFamilies) {
        // An unnamed unix address names nothing (bind autobinds; connect fails in the kernel).
        return {
          ...base,
          decision: 'allow',
          errno: null,
          rule: null,
          reason: 'unsupported-family',
          report: false,
        };
      }
      return {
        ...base,
        decision: 'deny',
        errno: 'EAFNOSUPPORT',
        rule: null,
        reason: 'unsupported-family',
        report: true,
      };
    }
    const rules = this.netRules.get(req.category) ?? [];
    let hit: CompiledNetRule | null = null;
    for (let i = rules.length - 1; i >= 0 && !hit; i--) {
      const r = rules[i]!;
      if (r.matchers.some((m) => addressMatches(m, addr))) hit = r;
    }
    const action: RuleAction = hit
      ? hit.rule.action
      : this.policy.sandbox[req.category] === 'deny'
        ? 'deny'
        : 'allow';
    const matched: MatchedRule | null = hit
      ? {
          index: hit.index,
          action: hit.rule.action,
          category: hit.rule.category,
          pattern: patternText(hit.rule.pattern),
          ...(hit.rule.source ? { source: hit.rule.source } : {}),
        }
      : null;
    if (action === 'allow' || action === 'warn')
      return {
        ...base,
        decision: 'allow',
        errno: null,
        rule: matched,
        reason: hit ? 'rule' : 'default',
        report: action === 'warn',
      };
    if (!hit && side === 'connect' && this.isBound(addr, req)) {
      return {
        ...base,
        decision: 'allow',
        errno: null,
        rule: null,
        reason: 'successful-bind',
        report: false,
      };
    }
    const quiet = this.isQuiet(req.category, (m) => !('matches' in m) && addressMatches(m, addr));
    return this.deny(action, matched, op, { exists: false, hidden: false }, base, quiet);
  }

  private isBound(addr: SockAddr, req: CheckRequest): boolean {
    const bound = this.boundAddresses.filter((b) => sameAddress(b.address, addr));
    if (bound.length === 0) return false;
    // Looked up only for a bound address (rare): it costs a pidfd_getfd in the supervisor.
    const kind =
      req.pid === undefined || req.socketFd === undefined
        ? null
        : (this.context.socketKind?.(req.pid, req.socketFd) ?? null);
    return kind !== null && bound.some((b) => b.kind === kind);
  }
}

function bytesEq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameAddress(a: SockAddr, b: SockAddr): boolean {
  if (a.family !== b.family) return false;
  switch (a.family) {
    case 'unix':
      return b.family === 'unix' && bytesEq(a.path, b.path);
    case 'unix-abstract':
      return b.family === 'unix-abstract' && bytesEq(a.name, b.name);
    case 'inet':
      return b.family === 'inet' && a.port === b.port && bytesEq(a.addr, b.addr);
    case 'inet6':
      return b.family === 'inet6' && a.port === b.port && bytesEq(a.addr, b.addr);
    default:
      return false;
  }
}
