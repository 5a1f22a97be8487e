/**
 * sydbox-1's magic commands (`core/sandbox/write:deny`,
 * `whitelist/write+/tmp/***`, ...) and `.syd-1` files: one command per line,
 * `#` comments and blank lines ignored.
 *
 * Grammar: KEY OP [VALUE], KEY made of [a-z0-9_/], OP one of
 *   `:` set, `+` append, `-` remove, `?` query, `!` command.
 */

import { suggest } from '@sb/syscalls';
import type {
  Category,
  MagicLock,
  Policy,
  PolicyOptions,
  QuietPattern,
  Rule,
  RuleAction,
  SandboxMode,
  SourceLocation,
  ViolationDecision,
} from '../model.js';
import { emptyPolicy } from '../model.js';
import { parseAddressPattern } from '../net.js';

export type MagicOp = ':' | '+' | '-' | '?' | '!';

export interface MagicCommand {
  readonly key: string;
  readonly op: MagicOp;
  readonly value: string;
}

export class MagicCommandError extends Error {
  constructor(
    message: string,
    readonly command: string,
    readonly source?: SourceLocation,
    /** The errno a magic stat() answers with. */
    readonly errno: 'EINVAL' | 'ENOENT' | 'EBUSY' | 'EPERM' = 'EINVAL',
  ) {
    super(source ? `${source.file}:${source.line}:${source.column ?? 1}: ${message}` : message);
    this.name = 'MagicCommandError';
  }
}

/** Split one command into key, operation and value. */
export function parseMagicCommand(text: string, source?: SourceLocation): MagicCommand {
  const m = /^([a-z0-9_/]+)([:+\-?!])([\s\S]*)$/.exec(text);
  if (!m) {
    throw new MagicCommandError(
      `'${text}' is not a magic command: expected KEY:VALUE, KEY+VALUE, KEY-VALUE, KEY? or KEY!ARGS (e.g. core/sandbox/write:deny)`,
      text,
      source,
    );
  }
  return { key: m[1]!, op: m[2] as MagicOp, value: m[3]! };
}

type Setter = (state: MutablePolicy, value: string, cmd: string, src?: SourceLocation) => void;
type Getter = (state: MutablePolicy) => boolean;

/** A policy being built or changed by commands. */
export interface MutablePolicy {
  sandbox: Record<Category, SandboxMode>;
  rules: Rule[];
  quiet: QuietPattern[];
  options: MutableOptions;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type MutableOptions = Mutable<Omit<PolicyOptions, 'exec'>> & {
  exec: { killIfMatch: (string | Uint8Array)[]; resumeIfMatch: (string | Uint8Array)[] };
};

export function toMutable(p: Policy): MutablePolicy {
  return structuredClone({
    sandbox: { ...p.sandbox },
    rules: [...p.rules],
    quiet: [...p.quiet],
    options: p.options,
  }) as MutablePolicy;
}

export function freeze(p: MutablePolicy): Policy {
  return p as unknown as Policy;
}

function parseBool(value: string, cmd: string, src?: SourceLocation): boolean {
  const v = value.toLowerCase();
  if (v === 'true' || v === 't' || v === '1' || v === 'on' || v === 'yes') return true;
  if (v === 'false' || v === 'f' || v === '0' || v === 'off' || v === 'no') return false;
  throw new MagicCommandError(`'${value}' is not a boolean: expected true, false, t, f, 1 or 0`, cmd, src);
}

function parseInt32(value: string, cmd: string, src?: SourceLocation): number {
  if (!/^-?[0-9]+$/.test(value) || Math.abs(Number(value)) > 2 ** 31)
    throw new MagicCommandError(`'${value}' is not an integer`, cmd, src);
  return Number(value);
}

function oneOf<T extends string>(
  allowed: readonly T[],
  what: string,
): (v: string, cmd: string, src?: SourceLocation) => T {
  return (v, cmd, src) => {
    if ((allowed as readonly string[]).includes(v)) return v as T;
    const close = suggest(v, allowed);
    throw new MagicCommandError(
      `'${v}' is not a valid ${what}: expected ${allowed.join(', ')}${close ? ` (did you mean '${close}'?)` : ''}`,
      cmd,
      src,
    );
  };
}

const sandboxMode = (v: string, cmd: string, src?: SourceLocation): SandboxMode => {
  if (v === 'bpf')
    throw new MagicCommandError(
      "sandbox mode 'bpf' (sydbox-2's kernel-only mode) is not supported: use 'deny' (sb keeps the supervisor out of calls it need not see)",
      cmd,
      src,
    );
  return oneOf<SandboxMode>(['off', 'allow', 'deny'], 'sandbox mode')(v, cmd, src);
};

interface KeySpec {
  set?: Setter;
  get?: Getter;
  /** For list keys: which category/action the +/- operate on. */
  list?: { action: RuleAction | 'quiet' | 'kill_if_match' | 'resume_if_match'; categories: Category[] };
  /** Keys sydbox-1 knew that mean nothing here: accepted with a warning. */
  ignored?: string;
}

const KEYS = new Map<string, KeySpec>();

function bool(get: (o: MutableOptions) => boolean, set: (o: MutableOptions, v: boolean) => void): KeySpec {
  return { set: (s, v, c, src) => set(s.options, parseBool(v, c, src)), get: (s) => get(s.options) };
}

for (const [name, cats] of [
  ['exec', ['exec']],
  ['read', ['read']],
  ['write', ['write']],
  ['stat', ['stat']],
  ['network', ['net/bind', 'net/connect']],
  ['network/bind', ['net/bind']],
  ['network/connect', ['net/connect']],
] as [string, Category[]][]) {
  KEYS.set(`core/sandbox/${name}`, {
    set: (s, v, c, src) => {
      const mode = sandboxMode(v, c, src);
      for (const cat of cats) s.sandbox[cat] = mode;
    },
    get: (s) => cats.some((cat) => s.sandbox[cat] !== 'off'),
  });
  const listCats: Category[] = cats;
  for (const [prefix, action] of [
    ['whitelist', 'allow'],
    ['allowlist', 'allow'],
    ['blacklist', 'deny'],
    ['denylist', 'deny'],
    ['filter', 'quiet'],
    // sb extensions: every rule action has a list
    ['warnlist', 'warn'],
    ['killlist', 'kill'],
    ['killalllist', 'killall'],
    ['filterlist', 'filter'],
  ] as [string, RuleAction | 'quiet'][]) {
    KEYS.set(`${prefix}/${name}`, { list: { action, categories: listCats } });
  }
}

KEYS.set('core/violation/decision', {
  set: (s, v, c, src) => {
    s.options.violation.decision = oneOf<ViolationDecision>(
      ['deny', 'kill', 'killall', 'cont'],
      'violation decision',
    )(v, c, src);
  },
});
KEYS.set('core/violation/exit_code', {
  set: (s, v, c, src) => {
    s.options.violation.exitCode = parseInt32(v, c, src);
  },
});
KEYS.set(
  'core/violation/raise_fail',
  bool(
    (o) => o.violation.raiseFail,
    (o, v) => {
      o.violation.raiseFail = v;
    },
  ),
);
KEYS.set(
  'core/violation/raise_safe',
  bool(
    (o) => o.violation.raiseSafe,
    (o, v) => {
      o.violation.raiseSafe = v;
    },
  ),
);
KEYS.set('core/trace/magic_lock', {
  set: (s, v, c, src) => {
    s.options.magicLock = oneOf<MagicLock>(['on', 'off', 'exec'], 'magic lock')(v, c, src);
  },
  get: (s) => s.options.magicLock === 'on',
});
KEYS.set(
  'core/trace/follow_fork',
  bool(
    (o) => o.trace.followFork,
    (o, v) => {
      o.trace.followFork = v;
    },
  ),
);
KEYS.set(
  'core/trace/exit_wait_all',
  bool(
    (o) => o.trace.exitWaitAll,
    (o, v) => {
      o.trace.exitWaitAll = v;
    },
  ),
);
KEYS.set(
  'core/trace/use_seccomp',
  bool(
    (o) => o.trace.useSeccomp,
    (o, v) => {
      o.trace.useSeccomp = v;
    },
  ),
);
KEYS.set(
  'core/trace/use_seize',
  bool(
    (o) => o.trace.useSeize,
    (o, v) => {
      o.trace.useSeize = v;
    },
  ),
);
KEYS.set(
  'core/trace/use_toolong_hack',
  bool(
    (o) => o.trace.useToolongHack,
    (o, v) => {
      o.trace.useToolongHack = v;
    },
  ),
);
KEYS.set('core/trace/interrupt', { ignored: 'sb does not use ptrace interrupt modes' });
for (const prefix of ['core/whitelist', 'core/allowlist']) {
  KEYS.set(
    `${prefix}/per_process_directories`,
    bool(
      (o) => o.allow.perProcessDirectories,
      (o, v) => {
        o.allow.perProcessDirectories = v;
      },
    ),
  );
  KEYS.set(
    `${prefix}/successful_bind`,
    bool(
      (o) => o.allow.successfulBind,
      (o, v) => {
        o.allow.successfulBind = v;
      },
    ),
  );
  KEYS.set(
    `${prefix}/unsupported_socket_families`,
    bool(
      (o) => o.allow.unsupportedSocketFamilies,
      (o, v) => {
        o.allow.unsupportedSocketFamilies = v;
      },
    ),
  );
  KEYS.set(
    `${prefix}/magic_path`,
    bool(
      (o) => o.allow.magicPath,
      (o, v) => {
        o.allow.magicPath = v;
      },
    ),
  );
}
KEYS.set(
  'core/match/case_sensitive',
  bool(
    (o) => o.match.caseSensitive,
    (o, v) => {
      o.match.caseSensitive = v;
    },
  ),
);
KEYS.set('core/match/no_wildcard', {
  set: (s, v, c, src) => {
    s.options.match.noWildcard = oneOf<'literal' | 'prefix'>(['literal', 'prefix'], 'no_wildcard mode')(
      v,
      c,
      src,
    );
  },
});
KEYS.set('core/restrict/general', {
  set: (s, v, c, src) => {
    const n = parseInt32(v, c, src);
    if (n < 0 || n > 3) throw new MagicCommandError(`core/restrict/general must be 0 to 3, not ${n}`, c, src);
    s.options.restrict.general = n;
  },
});
KEYS.set(
  'core/restrict/io_control',
  bool(
    (o) => o.restrict.ioControl,
    (o, v) => {
      o.restrict.ioControl = v;
    },
  ),
);
KEYS.set(
  'core/restrict/memory_map',
  bool(
    (o) => o.restrict.memoryMap,
    (o, v) => {
      o.restrict.memoryMap = v;
    },
  ),
);
KEYS.set(
  'core/restrict/shared_memory_writable',
  bool(
    (o) => o.restrict.sharedMemoryWritable,
    (o, v) => {
      o.restrict.sharedMemoryWritable = v;
    },
  ),
);
KEYS.set(
  'core/restrict/open_by_handle_at',
  bool(
    (o) => o.unsafe.openByHandleAt,
    (o, v) => {
      o.unsafe.openByHandleAt = v;
    },
  ),
);
KEYS.set(
  'core/restrict/name_to_handle_at',
  bool(
    (o) => o.unsafe.nameToHandleAt,
    (o, v) => {
      o.unsafe.nameToHandleAt = v;
    },
  ),
);
KEYS.set(
  'core/restrict/io_uring',
  bool(
    (o) => o.unsafe.ioUring,
    (o, v) => {
      o.unsafe.ioUring = v;
    },
  ),
);
KEYS.set('core/abort/decision', {
  set: (s, v, c, src) => {
    s.options.abortDecision = oneOf<'killall' | 'contall'>(['killall', 'contall'], 'abort decision')(
      v,
      c,
      src,
    );
  },
});
KEYS.set('core/panic/decision', {
  set: (s, v, c, src) => {
    s.options.panicDecision = oneOf<'kill' | 'cont' | 'contall' | 'killall'>(
      ['kill', 'cont', 'contall', 'killall'],
      'panic decision',
    )(v, c, src);
  },
});
KEYS.set('core/panic/exit_code', {
  set: (s, v, c, src) => {
    s.options.panicExitCode = parseInt32(v, c, src);
  },
});
KEYS.set('exec/kill_if_match', { list: { action: 'kill_if_match', categories: ['exec'] } });
KEYS.set('exec/resume_if_match', { list: { action: 'resume_if_match', categories: ['exec'] } });
for (const k of ['log/file', 'log/level', 'log/console_fd', 'log/console_level', 'log/timestamp']) {
  KEYS.set(k, { ignored: 'sb reports through its own logger' });
}

/** Every key the parser knows (for help and suggestions). */
export function magicKeys(): string[] {
  return [...KEYS.keys()];
}

export interface ApplyResult {
  /** For `?` queries: the answer. */
  readonly answer?: boolean;
  /** For ignored sydbox keys: why they are ignored. */
  readonly warning?: string;
}

function patternsEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  return Buffer.from(typeof a === 'string' ? Buffer.from(a) : a).equals(
    Buffer.from(typeof b === 'string' ? Buffer.from(b) : b),
  );
}

/** Apply one parsed command to a mutable policy. Throws MagicCommandError. */
export function applyMagicCommand(
  state: MutablePolicy,
  cmd: MagicCommand,
  text: string,
  source?: SourceLocation,
): ApplyResult {
  const spec = KEYS.get(cmd.key);
  if (!spec) {
    const close = suggest(cmd.key, KEYS.keys());
    throw new MagicCommandError(
      `unknown magic key '${cmd.key}'${close ? ` (did you mean '${close}'?)` : ''}`,
      text,
      source,
      'ENOENT',
    );
  }
  if (spec.ignored) return { warning: `'${cmd.key}' is accepted and ignored: ${spec.ignored}` };
  switch (cmd.op) {
    case '?':
      if (!spec.get) throw new MagicCommandError(`'${cmd.key}' cannot be queried`, text, source);
      if (cmd.value !== '')
        throw new MagicCommandError(`a query takes no value ('${cmd.key}?')`, text, source);
      return { answer: spec.get(state) };
    case ':':
      if (!spec.set)
        throw new MagicCommandError(
          `'${cmd.key}' is a list: use ${cmd.key}+VALUE or ${cmd.key}-VALUE`,
          text,
          source,
        );
      spec.set(state, cmd.value, text, source);
      return {};
    case '!':
      throw new MagicCommandError(
        `'${cmd.key}!' runs a command outside the sandbox (sydbox cmd/exec); sb does not support it`,
        text,
        source,
        'EPERM',
      );
    case '+':
    case '-': {
      if (!spec.list)
        throw new MagicCommandError(`'${cmd.key}' is not a list: use ${cmd.key}:VALUE`, text, source);
      if (cmd.value === '')
        throw new MagicCommandError(`'${cmd.key}${cmd.op}' needs a pattern`, text, source);
      const { action, categories } = spec.list;
      if (categories.some((c) => c.startsWith('net/'))) {
        try {
          parseAddressPattern(cmd.value);
        } catch (e) {
          throw new MagicCommandError((e as Error).message, text, source);
        }
      }
      if (action === 'kill_if_match' || action === 'resume_if_match') {
        const list =
          action === 'kill_if_match' ? state.options.exec.killIfMatch : state.options.exec.resumeIfMatch;
        if (cmd.op === '+') list.push(cmd.value);
        else {
          const kept = list.filter((p) => !patternsEqual(p, cmd.value));
          list.length = 0;
          list.push(...kept);
        }
        return {};
      }
      for (const category of categories) {
        if (action === 'quiet') {
          if (cmd.op === '+')
            state.quiet.push({ category, pattern: cmd.value, ...(source ? { source } : {}) });
          else
            state.quiet = state.quiet.filter(
              (q) => !(q.category === category && patternsEqual(q.pattern, cmd.value)),
            );
        } else if (cmd.op === '+') {
          state.rules.push({ action, category, pattern: cmd.value, ...(source ? { source } : {}) });
        } else {
          state.rules = state.rules.filter(
            (r) => !(r.action === action && r.category === category && patternsEqual(r.pattern, cmd.value)),
          );
        }
      }
      return {};
    }
  }
}

export interface SydboxParseResult {
  readonly policy: Policy;
  readonly warnings: readonly string[];
}

/**
 * Parse a `.syd-1` file (or a list of -m commands): one command per line,
 * blank lines and `#` comments ignored. Errors name file:line:column.
 */
export function parseSydbox(text: string, file = '<magic>', base: Policy = emptyPolicy()): SydboxParseResult {
  const state = toMutable(base);
  const warnings: string[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const indent = line.length - line.trimStart().length;
    const body = line.trim();
    if (body === '' || body.startsWith('#')) return;
    const source: SourceLocation = { file, line: i + 1, column: indent + 1 };
    const cmd = parseMagicCommand(body, source);
    if (cmd.op === '?')
      throw new MagicCommandError('queries (KEY?) are only for the magic stat, not files', body, source);
    const r = applyMagicCommand(state, cmd, body, source);
    if (r.warning) warnings.push(`${file}:${i + 1}: ${r.warning}`);
  });
  return { policy: freeze(state), warnings };
}

const SANDBOX_KEYS: [string, Category][] = [
  ['core/sandbox/exec', 'exec'],
  ['core/sandbox/read', 'read'],
  ['core/sandbox/write', 'write'],
  ['core/sandbox/stat', 'stat'],
  ['core/sandbox/network/bind', 'net/bind'],
  ['core/sandbox/network/connect', 'net/connect'],
];

const LIST_PREFIX: Record<RuleAction, string> = {
  allow: 'allowlist',
  deny: 'denylist',
  warn: 'warnlist',
  kill: 'killlist',
  killall: 'killalllist',
  filter: 'filterlist',
};

function catKey(c: Category): string {
  return c === 'net/bind' ? 'network/bind' : c === 'net/connect' ? 'network/connect' : c;
}

function patternString(p: string | Uint8Array): string {
  return typeof p === 'string' ? p : Buffer.from(p).toString('utf8');
}

/** Print a policy as magic commands; parseSydbox(formatSydbox(p)) gives back an equal policy. */
export function formatSydbox(policy: Policy): string {
  const o = policy.options;
  const out: string[] = [];
  for (const [key, c] of SANDBOX_KEYS) out.push(`${key}:${policy.sandbox[c]}`);
  out.push(
    `core/violation/decision:${o.violation.decision}`,
    `core/violation/exit_code:${o.violation.exitCode}`,
    `core/violation/raise_fail:${o.violation.raiseFail}`,
    `core/violation/raise_safe:${o.violation.raiseSafe}`,
    `core/trace/magic_lock:${o.magicLock}`,
    `core/trace/follow_fork:${o.trace.followFork}`,
    `core/trace/exit_wait_all:${o.trace.exitWaitAll}`,
    `core/trace/use_seccomp:${o.trace.useSeccomp}`,
    `core/trace/use_seize:${o.trace.useSeize}`,
    `core/trace/use_toolong_hack:${o.trace.useToolongHack}`,
    `core/allowlist/per_process_directories:${o.allow.perProcessDirectories}`,
    `core/allowlist/successful_bind:${o.allow.successfulBind}`,
    `core/allowlist/unsupported_socket_families:${o.allow.unsupportedSocketFamilies}`,
    `core/allowlist/magic_path:${o.allow.magicPath}`,
    `core/match/case_sensitive:${o.match.caseSensitive}`,
    `core/match/no_wildcard:${o.match.noWildcard}`,
    `core/restrict/general:${o.restrict.general}`,
    `core/restrict/io_control:${o.restrict.ioControl}`,
    `core/restrict/memory_map:${o.restrict.memoryMap}`,
    `core/restrict/shared_memory_writable:${o.restrict.sharedMemoryWritable}`,
    `core/restrict/open_by_handle_at:${o.unsafe.openByHandleAt}`,
    `core/restrict/name_to_handle_at:${o.unsafe.nameToHandleAt}`,
    `core/restrict/io_uring:${o.unsafe.ioUring}`,
    `core/abort/decision:${o.abortDecision}`,
    `core/panic/decision:${o.panicDecision}`,
    `core/panic/exit_code:${o.panicExitCode}`,
  );
  for (const p of o.exec.killIfMatch) out.push(`exec/kill_if_match+${patternString(p)}`);
  for (const p of o.exec.resumeIfMatch) out.push(`exec/resume_if_match+${patternString(p)}`);
  for (const r of policy.rules)
    out.push(`${LIST_PREFIX[r.action]}/${catKey(r.category)}+${patternString(r.pattern)}`);
  for (const q of policy.quiet) out.push(`filter/${catKey(q.category)}+${patternString(q.pattern)}`);
  return `${out.join('\n')}\n`;
}
