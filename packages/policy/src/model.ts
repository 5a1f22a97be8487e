/**
 * The policy as data: what users write (through a file, sydbox magic
 * commands or the API) and what every decision is taken from.
 */

export const CATEGORIES = ['read', 'write', 'exec', 'stat', 'net/bind', 'net/connect'] as const;
export type Category = (typeof CATEGORIES)[number];
export const PATH_CATEGORIES: readonly Category[] = ['read', 'write', 'exec', 'stat'];
export const NET_CATEGORIES: readonly Category[] = ['net/bind', 'net/connect'];

/** off: not checked at all; allow: allowed unless a rule denies; deny: denied unless a rule allows. */
export type SandboxMode = 'off' | 'allow' | 'deny';
export const SANDBOX_MODES: readonly SandboxMode[] = ['off', 'allow', 'deny'];

/**
 * allow; deny (reported); filter (denied, not reported); warn (allowed,
 * reported); kill (the offending process); killall (the whole sandbox).
 */
export type RuleAction = 'allow' | 'deny' | 'filter' | 'warn' | 'kill' | 'killall';
export const RULE_ACTIONS: readonly RuleAction[] = ['allow', 'deny', 'filter', 'warn', 'kill', 'killall'];

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

export interface Rule {
  readonly action: RuleAction;
  readonly category: Category;
  /** A path pattern (read/write/exec/stat) or an address pattern (net/*). Bytes for non-UTF-8 paths. */
  readonly pattern: string | Uint8Array;
  readonly source?: SourceLocation;
}

/** sydbox's filter lists: denials matching these are not reported; the decision is unchanged. */
export interface QuietPattern {
  readonly category: Category;
  readonly pattern: string | Uint8Array;
  readonly source?: SourceLocation;
}

/** What a denial does when the rule that denies is `deny` or the mode's default (sydbox core/violation/decision). */
export type ViolationDecision = 'deny' | 'kill' | 'killall' | 'cont';
export type MagicLock = 'on' | 'off' | 'exec';

export interface PolicyOptions {
  readonly violation: {
    readonly decision: ViolationDecision;
    /** Exit code of the sandbox after killall; 0 means 128 + the eldest process's status (sydbox). */
    readonly exitCode: number;
    /** Report failures (unresolvable paths, unreadable arguments) as violations. They are denied either way. */
    readonly raiseFail: boolean;
    /** Report denials that are "safe", e.g. mkdir of an existing visible path denied with EEXIST. */
    readonly raiseSafe: boolean;
  };
  readonly magicLock: MagicLock;
  readonly match: { readonly caseSensitive: boolean; readonly noWildcard: 'literal' | 'prefix' };
  /** Automatic allowances. */
  readonly allow: {
    /** /proc/PID/*** of the sandbox's own processes, for read, write and stat. */
    readonly perProcessDirectories: boolean;
    /** Addresses bound successfully become allowed for net/connect. */
    readonly successfulBind: boolean;
    /** Socket families other than unix/inet/inet6 pass the net sandbox (sydbox default: true; ours: false). */
    readonly unsupportedSocketFamilies: boolean;
    /** stat() of the magic path (/dev/sb/..., /dev/sydbox/...) is answered, not checked. */
    readonly magicPath: boolean;
  };
  /** Calls that cannot be checked safely; denied when a category they bypass is on, unless set here. */
  readonly unsafe: {
    readonly openByHandleAt: boolean;
    readonly nameToHandleAt: boolean;
    readonly ioUring: boolean;
    /** ptrace, process_vm_readv/writev, pidfd_getfd: reach into processes outside the sandbox. */
    readonly crossProcess: boolean;
    /** chroot, pivot_root: resolution would follow the new root while rules name host paths. */
    readonly chroot: boolean;
  };
  readonly exec: {
    /** Kill a process whose execve path matches (sydbox exec/kill_if_match). */
    readonly killIfMatch: readonly (string | Uint8Array)[];
    /** Stop sandboxing a process whose execve path matches (sydbox exec/resume_if_match). */
    readonly resumeIfMatch: readonly (string | Uint8Array)[];
  };
  /** Tracer settings, kept for the supervisor (sydbox core/trace/*). */
  readonly trace: {
    readonly followFork: boolean;
    readonly exitWaitAll: boolean;
    readonly useSeccomp: boolean;
    readonly useSeize: boolean;
    readonly useToolongHack: boolean;
  };
  /** Further restrictions, kept for the seccomp stage (sydbox core/restrict/*). */
  readonly restrict: {
    readonly general: number;
    readonly ioControl: boolean;
    readonly memoryMap: boolean;
    readonly sharedMemoryWritable: boolean;
  };
  /** What to do on an internal error (sydbox core/abort/decision, core/panic/*). */
  readonly abortDecision: 'killall' | 'contall';
  readonly panicDecision: 'kill' | 'cont' | 'contall' | 'killall';
  readonly panicExitCode: number;
}

export interface Policy {
  readonly sandbox: Readonly<Record<Category, SandboxMode>>;
  /** In order: the last matching rule wins. */
  readonly rules: readonly Rule[];
  readonly quiet: readonly QuietPattern[];
  readonly options: PolicyOptions;
}

export const DEFAULT_OPTIONS: PolicyOptions = {
  violation: { decision: 'deny', exitCode: -1, raiseFail: false, raiseSafe: false },
  magicLock: 'off',
  match: { caseSensitive: true, noWildcard: 'literal' },
  allow: {
    perProcessDirectories: true,
    successfulBind: true,
    unsupportedSocketFamilies: false,
    magicPath: true,
  },
  unsafe: {
    openByHandleAt: false,
    nameToHandleAt: false,
    ioUring: false,
    crossProcess: false,
    chroot: false,
  },
  exec: { killIfMatch: [], resumeIfMatch: [] },
  trace: { followFork: true, exitWaitAll: false, useSeccomp: true, useSeize: true, useToolongHack: false },
  restrict: { general: 0, ioControl: false, memoryMap: false, sharedMemoryWritable: false },
  abortDecision: 'killall',
  panicDecision: 'kill',
  panicExitCode: -1,
};

/** A policy with every category off and no rules. */
export function emptyPolicy(): Policy {
  return {
    sandbox: { read: 'off', write: 'off', exec: 'off', stat: 'off', 'net/bind': 'off', 'net/connect': 'off' },
    rules: [],
    quiet: [],
    options: DEFAULT_OPTIONS,
  };
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : DeepPartial<T[K]> };
export type PolicyInput = {
  sandbox?: Partial<Record<Category, SandboxMode>>;
  rules?: readonly Rule[];
  quiet?: readonly QuietPattern[];
  options?: DeepPartial<PolicyOptions>;
};

/** Build a policy from a partial description (unset fields take the defaults). */
export function definePolicy(input: PolicyInput = {}): Policy {
  const base = emptyPolicy();
  const o = input.options ?? {};
  return {
    sandbox: { ...base.sandbox, ...input.sandbox },
    rules: [...(input.rules ?? [])],
    quiet: [...(input.quiet ?? [])],
    options: {
      ...DEFAULT_OPTIONS,
      ...(o as Partial<PolicyOptions>),
      violation: { ...DEFAULT_OPTIONS.violation, ...o.violation },
      match: { ...DEFAULT_OPTIONS.match, ...o.match },
      allow: { ...DEFAULT_OPTIONS.allow, ...o.allow },
      unsafe: { ...DEFAULT_OPTIONS.unsafe, ...o.unsafe },
      exec: { ...DEFAULT_OPTIONS.exec, ...o.exec },
      trace: { ...DEFAULT_OPTIONS.trace, ...o.trace },
      restrict: { ...DEFAULT_OPTIONS.restrict, ...o.restrict },
    },
  };
}

/** Merge policies: later sandbox modes and options override, rules and quiet lists append (so later rules win). */
export function mergePolicies(...policies: Policy[]): Policy {
  let out = emptyPolicy();
  for (const p of policies) {
    out = {
      sandbox: { ...out.sandbox, ...p.sandbox },
      rules: [...out.rules, ...p.rules],
      quiet: [...out.quiet, ...p.quiet],
      options: p.options,
    };
  }
  return out;
}
