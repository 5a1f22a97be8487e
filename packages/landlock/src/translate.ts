/**
 * From an sb policy to a Landlock ruleset, and an exact account of what the ruleset
 * does not enforce. Landlock grants rights on whole hierarchies and only adds: it can
 * express "deny, except under these paths / on these TCP ports", not "allow, except",
 * not wildcards, not stat, not metadata changes, not addresses or UDP.
 *
 * Two principles: (1) the ruleset never denies what the policy allows, except in the
 * documented ways Landlock is inherently stricter (listed in `stricter`); (2) every way
 * it allows what the policy denies is listed in `unenforced`, with the syscalls whose
 * trapping would let the supervisor enforce it (`residual`), or null when only a full
 * path checker (ptrace or unotify) can.
 */
import {
  type Category,
  compilePathPattern,
  hasWildcard,
  type PathMatcher,
  type Policy,
  parseAddressPattern,
  type Rule,
  wildmatch,
} from '@sb/policy';
import { FILE_RIGHTS, FS, KNOWN_ABI, NET, rightsFor, SCOPE } from './abi.js';
import { type FsView, hostFs } from './fsview.js';
import {
  NET_BIND,
  NET_CONNECT,
  READ_METADATA,
  EXEC as RESIDUAL_EXEC,
  WRITE_ADMIN,
  WRITE_METADATA,
  WRITE_TRUNCATE,
} from './residual.js';

export interface PathGrant {
  /** Absolute path, opened (O_PATH, following symlinks) in the program's process before its execve. */
  readonly path: string;
  readonly access: bigint;
  /** 'tree': a directory and everything below it; 'file': one non-directory. */
  readonly kind: 'tree' | 'file';
  /** The policy patterns (or option) this grant comes from. */
  readonly sources: readonly string[];
}

export interface PortGrant {
  readonly port: number;
  readonly access: bigint;
  readonly sources: readonly string[];
}

export interface LandlockRuleset {
  /** The ABI the ruleset was made for (attribute size and rights depend on it). */
  readonly abi: number;
  readonly handledFs: bigint;
  readonly handledNet: bigint;
  readonly scoped: bigint;
  readonly paths: readonly PathGrant[];
  readonly ports: readonly PortGrant[];
}

export interface Unenforced {
  readonly category: Category | 'policy';
  /** The rule pattern or option concerned. */
  readonly subject: string;
  readonly reason: string;
  /** Syscalls whose trapping lets the supervisor enforce this; null: only a full path checker can. */
  readonly residual: readonly string[] | null;
}

export interface Translation {
  readonly ruleset: LandlockRuleset;
  readonly unenforced: readonly Unenforced[];
  /** Landlock alone enforces the whole policy. */
  readonly fullyExpressible: boolean;
  /** Where Landlock denies what the policy allows (inherent to Landlock, documented). */
  readonly stricter: readonly string[];
  /** The union of the unenforced parts' residual syscalls, or null when one has none. */
  readonly residual: readonly string[] | null;
}

export interface TranslateOptions {
  /** The Landlock ABI to target (from probeLandlock); rights of later ABIs are dropped and reported. */
  readonly abi: number;
  /** Where globs are expanded and literal paths classified. Default: this host's file system. */
  readonly fs?: FsView;
  /** Most paths one glob may expand to before it is widened to its fixed prefix. Default 256. */
  readonly maxExpansion?: number;
  /** Most TCP ports (one rule each) per direction. Default 1024. */
  readonly maxPorts?: number;
  /**
   * 'alone' (default): Landlock is the enforcer, so where it cannot be exact it errs on
   * the strict side. 'beneath': defence in depth under a supervisor that enforces the
   * whole policy, so it must never deny what the policy allows: it widens instead
   * (reported in `unenforced`) and leaves exec, whose kernel checks reach further than
   * the policy's (ld.so, #! interpreters), to the supervisor.
   */
  readonly purpose?: 'alone' | 'beneath';
}

type PathCategory = 'read' | 'write' | 'exec';

const WRITE_RIGHTS =
  FS.WRITE_FILE |
  FS.REMOVE_DIR |
  FS.REMOVE_FILE |
  FS.MAKE_CHAR |
  FS.MAKE_DIR |
  FS.MAKE_REG |
  FS.MAKE_SOCK |
  FS.MAKE_FIFO |
  FS.MAKE_BLOCK |
  FS.MAKE_SYM |
  FS.REFER |
  FS.TRUNCATE;

/** The Landlock rights that stand for each policy path category. */
export const CATEGORY_RIGHTS: Readonly<Record<PathCategory, bigint>> = {
  read: FS.READ_FILE | FS.READ_DIR,
  write: WRITE_RIGHTS,
  exec: FS.EXECUTE,
};

const DENYING = new Set(['deny', 'filter', 'kill', 'killall']);
const patternText = (p: string | Uint8Array): string =>
  typeof p === 'string' ? p : Buffer.from(p).toString('utf8');

function validUtf8(p: string | Uint8Array): boolean {
  if (typeof p === 'string') return true;
  return Buffer.from(Buffer.from(p).toString('utf8'), 'utf8').equals(Buffer.from(p));
}

function trimSlashes(p: string): string {
  const t = p.replace(/\/+$/, '');
  return t === '' ? '/' : t;
}

/** Whether `inner` is `outer` or below it, on component boundaries. */
export function isBeneath(inner: string, outer: string): boolean {
  if (outer === '/') return inner.startsWith('/');
  return inner === outer || inner.startsWith(`${outer}/`);
}

/** The directory part of a glob before its first wildcard component ('/dev' for '/dev/tty*'). */
export function fixedPrefix(pattern: string): string {
  const parts = pattern.split('/');
  const fixed: string[] = [];
  for (const part of parts) {
    if (hasWildcard(Buffer.from(part))) break;
    fixed.push(part);
  }
  if (fixed.length === parts.length) fixed.pop();
  return trimSlashes(fixed.join('/') || '/');
}

interface Grant extends PathGrant {
  /** Index of the policy rule it comes from (-1 for options). */
  readonly ruleIndex: number;
  /** false when it grants more than the rule allows (a widened glob or directory). */
  readonly exact: boolean;
}

class Builder {
  readonly grants: Grant[] = [];
  readonly unenforced: Unenforced[] = [];
  readonly stricter: string[] = [];
  handledFs = 0n;
  handledNet = 0n;
  scoped = 0n;
  readonly ports = new Map<number, { access: bigint; sources: string[] }>();

  constructor(
    readonly policy: Policy,
    readonly abi: number,
    readonly fs: FsView,
    readonly maxExpansion: number,
    readonly maxPorts: number,
    readonly beneath: boolean,
  ) {}

  unenforce(
    category: Unenforced['category'],
    subject: string,
    reason: string,
    residual: readonly string[] | null,
  ) {
    this.unenforced.push({ category, subject, reason, residual });
  }

  strict(note: string) {
    if (!this.stricter.includes(note)) this.stricter.push(note);
  }

  grant(g: Grant) {
    this.grants.push(g);
  }
}

/** Expand a glob against the file system, component by component; null when it cannot be. */
function expand(pattern: string, matcher: PathMatcher, fs: FsView, max: number): string[] | null {
  const parts = pattern.split('/').filter((p) => p !== '');
  let current = ['/'];
  for (const part of parts) {
    const bytes = Buffer.from(part);
    if (!hasWildcard(bytes)) {
      current = current.map((c) => (c === '/' ? `/${part}` : `${c}/${part}`));
      continue;
    }
    // `**` crosses directories; a class could name '/': not expandable component-wise.
    if (part.includes('**') || part.includes('[')) return null;
    const next: string[] = [];
    for (const dir of current) {
      for (const name of fs.list(dir)) {
        if (!wildmatch(bytes, Buffer.from(name))) continue;
        next.push(dir === '/' ? `/${name}` : `${dir}/${name}`);
        if (next.length > max) return null;
      }
    }
    current = next;
  }
  return current.filter((p) => matcher.matches(Buffer.from(p)));
}

function translatePathCategory(b: Builder, category: PathCategory, rules: readonly [number, Rule][]) {
  const mode = b.policy.sandbox[category];
  if (mode === 'off') return;
  const abiRights = rightsFor(b.abi).fs;
  let rights = CATEGORY_RIGHTS[category] & abiRights;
  if (category === 'read' && b.beneath && mode !== 'allow') {
    // The kernel opens every executed file, its ELF interpreter (ld.so) and #! interpreter
    // for reading (FMODE_READ, so Landlock asks READ_FILE), none of which the policy's read
    // rules name: beneath the supervisor, Landlock leaves file reads to it.
    rights &= ~FS.READ_FILE;
    b.unenforce(
      'read',
      'read mode deny (files)',
      'left to the supervisor: exec opens the program, ld.so and #! interpreters for reading, which read rules do not name',
      null,
    );
  }
  const residualFor: Readonly<Record<PathCategory, readonly string[]>> = {
    read: READ_METADATA,
    write: [...WRITE_METADATA, ...WRITE_ADMIN, ...(b.abi < 3 ? WRITE_TRUNCATE : [])],
    exec: [],
  };
  const denying = rules.filter(([, r]) => DENYING.has(r.action));
  if (mode === 'allow') {
    // Landlock only allow-lists: an "allow, except" rule cannot be expressed.
    for (const [, r] of denying)
      b.unenforce(
        category,
        patternText(r.pattern),
        `a ${r.action} rule under ${category} mode allow: Landlock can only allow-list, not deny inside what it allows`,
        null,
      );
    return;
  }
  if (category === 'exec' && b.beneath) {
    b.unenforce(
      'exec',
      'exec mode deny',
      'left to the supervisor: the kernel also checks ld.so and #! interpreters as executions, which the policy does not name',
      null,
    );
    return;
  }
  b.handledFs |= rights;
  // exec: execve, execveat and uselib all open with FMODE_EXEC, which Landlock checks as EXECUTE.
  const metadata = residualFor[category];
  if (metadata.length > 0)
    b.unenforce(
      category,
      `${category} mode deny`,
      category === 'read'
        ? 'extended attribute reads and inotify/fanotify watches are not checked by Landlock'
        : `chmod, chown, utimes, extended attribute changes and swapon/acct/quotactl are not checked by Landlock${b.abi < 3 ? '; truncate(2) needs ABI 3 (Linux 6.2)' : ''}`,
      metadata,
    );
  if (category === 'write' && b.abi < 3)
    b.unenforce(
      'write',
      'O_TRUNC',
      'open(O_RDONLY|O_TRUNC) truncates without a Landlock write right before ABI 3 (Linux 6.2)',
      null,
    );
  if (category === 'exec')
    b.strict(
      'exec: the kernel checks the ELF interpreter (ld.so) and #! interpreters as executions too: they need an exec allowance',
    );
  const opts = b.policy.options.match;
  if (!opts.caseSensitive)
    b.strict('case-insensitive patterns are granted only in the spelling written (Landlock names inodes)');
  if (b.policy.options.allow.perProcessDirectories && category !== 'exec' && b.beneath) {
    // Every sandbox process's /proc/PID, which a fixed ruleset cannot name: all of /proc, widened.
    b.grant({
      path: '/proc',
      access: rights,
      kind: 'tree',
      sources: ['allow/per_process_directories'],
      ruleIndex: -1,
      exact: false,
    });
    b.unenforce(
      category,
      'allow/per_process_directories',
      'every /proc/PID of the sandbox cannot be named in advance: all of /proc is granted',
      null,
    );
  } else if (b.policy.options.allow.perProcessDirectories && category !== 'exec') {
    // The first process's own /proc/PID (the stub opens /proc/self before it becomes the program).
    b.grant({
      path: '/proc/self',
      access: rights,
      kind: 'tree',
      sources: ['allow/per_process_directories'],
      ruleIndex: -1,
      exact: true,
    });
    b.strict(
      `${category}: /proc/PID of the first process is allowed, not that of its children (Landlock rules are fixed at launch)`,
    );
  }
  for (const [index, rule] of rules) {
    if (DENYING.has(rule.action)) {
      checkDeny(b, category, index, rule);
      continue;
    }
    const text = patternText(rule.pattern);
    if (!validUtf8(rule.pattern) || !text.startsWith('/')) {
      b.strict(`${category} ${text}: not granted (not an absolute UTF-8 path)`);
      continue;
    }
    if (rule.action === 'warn') b.strict('warn rules: Landlock allows silently (no report)');
    const matcher = compilePathPattern(rule.pattern, opts);
    allowPattern(b, category, index, text, matcher, rights);
  }
}

function allowPattern(
  b: Builder,
  category: PathCategory,
  index: number,
  text: string,
  matcher: PathMatcher,
  rights: bigint,
) {
  const base = { sources: [text], ruleIndex: index };
  if (/^\/proc\/(self|thread-self)(\/|$)/.test(text))
    b.strict(`${text}: applies to the first process only, not to its children`);
  if (matcher.kind === 'prefix') {
    const dir = trimSlashes(text.endsWith('/***') ? text.slice(0, -4) : text);
    if (b.fs.kind(dir) === 'file') {
      // `file/***` and no_wildcard:prefix literals name a file: the file is all there is below it.
      b.grant({ ...base, path: dir, access: rights & FILE_RIGHTS, kind: 'file', exact: true });
      return;
    }
    b.grant({ ...base, path: dir, access: rights, kind: 'tree', exact: true });
    b.strict(
      `${category} ${text}: creating, removing or renaming ${dir} itself needs rights on its parent, which Landlock does not get`,
    );
    return;
  }
  if (matcher.kind === 'literal') {
    grantExisting(b, category, index, text, text, rights, false);
    return;
  }
  // A glob: the paths that match now, or (when that cannot be listed) its fixed prefix, widened.
  const tree = text.endsWith('/***');
  // Beneath a supervisor, paths created later must not be denied: widen rather than expand.
  const found = b.beneath ? null : expand(tree ? text.slice(0, -4) : text, matcher, b.fs, b.maxExpansion);
  if (found === null) {
    const prefix = fixedPrefix(text);
    b.grant({ ...base, path: prefix, access: rights, kind: 'tree', exact: false });
    b.unenforce(
      category,
      text,
      b.beneath
        ? `Landlock cannot match wildcards: everything under ${prefix} is granted (the supervisor checks the pattern)`
        : `Landlock cannot match wildcards and the pattern could not be expanded: everything under ${prefix} is granted`,
      null,
    );
    return;
  }
  b.strict(`${category} ${text}: paths created after the launch that match it are not granted`);
  for (const path of found) grantExisting(b, category, index, text, path, rights, tree);
}

function grantExisting(
  b: Builder,
  category: PathCategory,
  index: number,
  source: string,
  path: string,
  rights: bigint,
  tree: boolean,
) {
  const base = { sources: [source], ruleIndex: index };
  const kind = b.fs.kind(path);
  if (kind === 'missing' && b.beneath) {
    // It may be created: creating needs rights on its parent (widened to the parent's tree).
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    if (parent !== '/' && b.fs.kind(parent) === 'dir') {
      b.grant({ ...base, path: parent, access: rights, kind: 'tree', exact: false });
      b.unenforce(
        category,
        source,
        `${path} is missing: all of ${parent} is granted so that it can be created`,
        null,
      );
      return;
    }
  }
  if (kind === 'missing') {
    b.strict(`${category} ${path}: missing at launch, not granted (Landlock rules name existing files)`);
    return;
  }
  if (kind === 'file') {
    b.grant({ ...base, path, access: rights & FILE_RIGHTS, kind: 'file', exact: true });
    return;
  }
  if (tree) {
    b.grant({ ...base, path, access: rights, kind: 'tree', exact: true });
    return;
  }
  // The policy allows the directory itself, not what is below it.
  if (category === 'read') {
    b.grant({ ...base, path, access: FS.READ_DIR, kind: 'tree', exact: false });
    b.unenforce(
      'read',
      source,
      `Landlock's READ_DIR on ${path} also lets the program list every directory below it`,
      null,
    );
    return;
  }
  b.strict(`${category} ${path}: a directory by itself is not granted (its rights live on its parent)`);
}

/** The directory a deny pattern's matches all lie in (or the one path a literal names). */
function denyScope(text: string, matcher: PathMatcher): string {
  if (matcher.kind === 'glob') return fixedPrefix(text);
  return trimSlashes(text.endsWith('/***') ? text.slice(0, -4) : text);
}

/** A deny rule is enforced only when no grant that could outrank it covers any path it matches. */
function checkDeny(b: Builder, category: PathCategory, index: number, rule: Rule) {
  const text = patternText(rule.pattern);
  const matcher = compilePathPattern(rule.pattern, b.policy.options.match);
  if (rule.action === 'kill' || rule.action === 'killall')
    b.unenforce(category, text, `Landlock denies with EACCES; it cannot ${rule.action}`, null);
  const scope = denyScope(text, matcher);
  const hit = b.grants.find((g) => {
    if (g.ruleIndex > index && g.exact) return false;
    if ((g.access & CATEGORY_RIGHTS[category]) === 0n) return false;
    if (g.kind === 'file') return matcher.matches(Buffer.from(g.path));
    return isBeneath(scope, g.path) || (matcher.kind !== 'literal' && isBeneath(g.path, scope));
  });
  // Grants of later allow rules come after this loop position: check them when they are added.
  if (hit)
    b.unenforce(
      category,
      text,
      `denies inside ${hit.path}, which Landlock allows (from ${hit.sources.join(', ')}): a grant cannot be narrowed`,
      null,
    );
}

function translateNet(b: Builder, category: 'net/bind' | 'net/connect', rules: readonly [number, Rule][]) {
  const mode = b.policy.sandbox[category];
  if (mode === 'off') return;
  const residual = category === 'net/bind' ? NET_BIND : NET_CONNECT;
  const right = category === 'net/bind' ? NET.BIND_TCP : NET.CONNECT_TCP;
  const denying = rules.filter(([, r]) => DENYING.has(r.action));
  if (mode === 'allow') {
    for (const [, r] of denying)
      b.unenforce(category, patternText(r.pattern), 'Landlock cannot deny single addresses', residual);
    return;
  }
  b.unenforce(
    category,
    `${category} mode deny`,
    'Landlock restricts only TCP ports: UDP, unix sockets, other families and the addresses themselves are checked by the supervisor',
    residual,
  );
  if (b.abi < 4) {
    b.unenforce(
      category,
      'tcp',
      `TCP ports need Landlock ABI 4 (Linux 6.7); this kernel has ABI ${b.abi}`,
      residual,
    );
    return;
  }
  if (category === 'net/connect' && b.policy.options.allow.successfulBind) {
    // Connect allowances grow at run time; a fixed port list would deny the program its own servers.
    b.unenforce(
      category,
      'allow/successful_bind',
      'connect allowances added at run time cannot join a Landlock ruleset',
      residual,
    );
    maybeScope(b, rules);
    return;
  }
  const ports = new Map<number, string[]>();
  let count = 0;
  for (const [, rule] of rules) {
    const text = patternText(rule.pattern);
    let patterns: ReturnType<typeof parseAddressPattern>;
    try {
      patterns = parseAddressPattern(text, b.policy.options.match);
    } catch {
      continue; // the checker reports bad patterns when the policy is compiled
    }
    for (const p of patterns) {
      if (p.kind !== 'inet' && p.kind !== 'inet6') continue;
      if (DENYING.has(rule.action)) {
        // Denied ports that an allow rule also grants stay open to Landlock (on every address).
        for (let port = p.ports.lo; port <= p.ports.hi; port++) {
          if (ports.has(port)) {
            b.unenforce(
              category,
              text,
              `port ${port} is also allowed by an earlier rule; Landlock cannot narrow it`,
              residual,
            );
            break;
          }
        }
        continue;
      }
      count += p.ports.hi - p.ports.lo + 1;
      if (count > b.maxPorts) break;
      for (let port = p.ports.lo; port <= p.ports.hi; port++) {
        const list = ports.get(port) ?? [];
        if (!list.includes(text)) list.push(text);
        ports.set(port, list);
      }
    }
    if (count > b.maxPorts) break;
  }
  if (count > b.maxPorts) {
    b.unenforce(
      category,
      'tcp',
      `the allowed port ranges hold more than ${b.maxPorts} ports (Landlock needs one rule per port): TCP is left to the supervisor`,
      residual,
    );
  } else {
    b.handledNet |= right;
    for (const [port, sources] of ports) {
      const cur = b.ports.get(port) ?? { access: 0n, sources: [] };
      cur.access |= right;
      for (const s of sources) if (!cur.sources.includes(s)) cur.sources.push(s);
      b.ports.set(port, cur);
    }
  }
  if (category === 'net/connect') maybeScope(b, rules);
}

/** Abstract unix sockets outside the sandbox are out of reach when no rule allows connecting to one. */
function maybeScope(b: Builder, rules: readonly [number, Rule][]) {
  if (b.abi < 6) return;
  const allowsAbstract = rules.some(
    ([, r]) => !DENYING.has(r.action) && patternText(r.pattern).startsWith('unix-abstract:'),
  );
  if (!allowsAbstract) b.scoped |= SCOPE.ABSTRACT_UNIX_SOCKET;
}

function translatePolicyOptions(b: Builder) {
  const o = b.policy.options;
  const anyOn = Object.values(b.policy.sandbox).some((m) => m !== 'off');
  if (!anyOn) return;
  if (o.violation.decision === 'kill' || o.violation.decision === 'killall')
    b.unenforce(
      'policy',
      `core/violation/decision:${o.violation.decision}`,
      `Landlock denies with EACCES; it cannot ${o.violation.decision}`,
      null,
    );
  if (o.exec.killIfMatch.length > 0)
    b.unenforce('policy', 'exec/kill_if_match', 'killing on exec is the supervisor’s', RESIDUAL_EXEC);
  if (o.exec.resumeIfMatch.length > 0)
    b.strict('exec/resume_if_match: Landlock restrictions cannot be lifted from a process');
  if (o.magicLock !== 'on') b.strict('magic commands cannot loosen a Landlock ruleset once the program runs');
  b.strict('Landlock denials are not reported as violations (they fail with EACCES or EXDEV)');
  b.strict('mount, umount and pivot_root fail with EPERM for a process under Landlock');
}

/** Translate `policy` for Landlock ABI `options.abi`. */
export function translate(policy: Policy, options: TranslateOptions): Translation {
  if (!Number.isInteger(options.abi) || options.abi < 1)
    throw new RangeError(`Landlock ABI must be an integer >= 1, got ${options.abi}`);
  const abi = Math.min(options.abi, KNOWN_ABI);
  const b = new Builder(
    policy,
    abi,
    options.fs ?? hostFs,
    options.maxExpansion ?? 256,
    options.maxPorts ?? 1024,
    options.purpose === 'beneath',
  );
  // violation decision 'cont': nothing is ever denied, so nothing may be restricted.
  const cont = policy.options.violation.decision === 'cont';
  const indexed = policy.rules.map((r, i) => [i, r] as [number, Rule]);
  if (!cont) {
    for (const category of ['read', 'write', 'exec'] as const)
      translatePathCategory(
        b,
        category,
        indexed.filter(([, r]) => r.category === category),
      );
    recheckDenies(b, indexed);
    if (policy.sandbox.stat !== 'off') {
      const statRules = indexed.filter(([, r]) => r.category === 'stat');
      if (policy.sandbox.stat === 'deny' || statRules.some(([, r]) => DENYING.has(r.action)))
        b.unenforce(
          'stat',
          `stat mode ${policy.sandbox.stat}`,
          'Landlock cannot restrict lookups (stat, access, readlink, chdir)',
          null,
        );
    }
    for (const category of ['net/bind', 'net/connect'] as const)
      translateNet(
        b,
        category,
        indexed.filter(([, r]) => r.category === category),
      );
    translatePolicyOptions(b);
  } else b.strict('core/violation/decision:cont: nothing is denied, so Landlock restricts nothing');
  // REFER is handled implicitly from ABI 2: without a grant every cross-directory rename fails.
  if (b.handledFs !== 0n && abi >= 2 && (b.handledFs & FS.REFER) === 0n) {
    b.handledFs |= FS.REFER;
    b.grant({
      path: '/',
      access: FS.REFER,
      kind: 'tree',
      sources: ['(renames, unrestricted)'],
      ruleIndex: -1,
      exact: true,
    });
  }
  if (b.handledFs !== 0n && abi < 2)
    b.strict('ABI 1: renaming or linking across directories always fails (EXDEV)');
  const merged = new Map<
    string,
    { path: string; access: bigint; kind: PathGrant['kind']; sources: string[] }
  >();
  for (const g of b.grants) {
    const key = `${g.kind}\0${g.path}`;
    const m = merged.get(key);
    if (m) {
      m.access |= g.access;
      for (const s of g.sources) if (!m.sources.includes(s)) m.sources.push(s);
    } else merged.set(key, { path: g.path, access: g.access, kind: g.kind, sources: [...g.sources] });
  }
  const ruleset: LandlockRuleset = {
    abi,
    handledFs: b.handledFs,
    handledNet: b.handledNet,
    scoped: b.scoped,
    paths: [...merged.values()].filter((g) => g.access !== 0n),
    ports: [...b.ports].map(([port, v]) => ({ port, access: v.access, sources: v.sources })),
  };
  const unenforced = dedupe(b.unenforced);
  const residual = unenforced.some((u) => u.residual === null)
    ? null
    : [...new Set(unenforced.flatMap((u) => u.residual ?? []))];
  return { ruleset, unenforced, fullyExpressible: unenforced.length === 0, stricter: b.stricter, residual };
}

/** Deny rules that come before a widened grant of a later allow rule (checked once every grant exists). */
function recheckDenies(b: Builder, indexed: readonly [number, Rule][]) {
  const widened = b.grants.filter((g) => !g.exact);
  for (const g of widened) {
    for (const [index, rule] of indexed) {
      if (index >= g.ruleIndex || !DENYING.has(rule.action)) continue;
      const category = rule.category;
      if (category !== 'read' && category !== 'write' && category !== 'exec') continue;
      if (b.policy.sandbox[category] !== 'deny' || (g.access & CATEGORY_RIGHTS[category]) === 0n) continue;
      const text = patternText(rule.pattern);
      const scope = denyScope(text, compilePathPattern(rule.pattern, b.policy.options.match));
      if (isBeneath(scope, g.path) || isBeneath(g.path, scope))
        b.unenforce(
          category,
          text,
          `denies inside ${g.path}, which Landlock allows (widened from ${g.sources.join(', ')})`,
          null,
        );
    }
  }
}

function dedupe(list: readonly Unenforced[]): Unenforced[] {
  const seen = new Set<string>();
  return list.filter((u) => {
    const k = `${u.category}\0${u.subject}\0${u.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
