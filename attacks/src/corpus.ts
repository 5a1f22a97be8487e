/**
 * The attacker corpus as data: one row per program in ../programs, with its policy additions,
 * who runs it, how it is run, and the expected outcome per backend. 'documented' rows name a
 * limitation that SECURITY.md lists (with the rate the corpus measured).
 */

/** Known limitations, each a section of SECURITY.md. */
export const LIMITATIONS = {
  'toctou-memory':
    'pointer arguments are read by the supervisor, then again by the kernel; another thread or process sharing the memory can change them in between',
  'toctou-fs':
    'a path is resolved by the supervisor, then again by the kernel; the file system (symlinks, renames) can change in between',
  'path-names':
    'rules name paths, not objects: renaming a writable ancestor of a protected directory moves it out from under its rule',
  'fd-passing':
    'a file descriptor received from outside the sandbox (SCM_RIGHTS) is usable whatever its path',
  'exec-indirect':
    'exec rules check the file given to execve; the dynamic loader or a #! interpreter then runs another file without an execve of it',
  'listen-autobind':
    'listen() (or connect/sendto) on an unbound socket binds an ephemeral port without a bind() call for net/bind to check',
} as const;

export type LimitationId = keyof typeof LIMITATIONS;

export type Expectation =
  | { readonly outcome: 'blocked' }
  | { readonly outcome: 'documented'; readonly limitation: LimitationId }
  /** A real bug of sb (not an inherent limitation): the row fails until it is fixed. */
  | { readonly outcome: 'bug'; readonly issue: string };

export type Category =
  | 'argument race'
  | 'filesystem race'
  | 'filesystem'
  | 'magic link'
  | 'bypass call'
  | 'abi'
  | 'process tracking'
  | 'privileges'
  | 'network'
  | 'errors';

export type User = 'root' | 'nobody';

/** How the program is run: in the test process, in a separate supervisor process (attacks on the supervisor), or on a pty. */
export type Mode = 'in-process' | 'isolated' | 'pty';

/** Values the policy and the program see for one run. */
export interface AttackContext {
  readonly dir: string;
  readonly cacheDir: string;
  readonly portDenied: number;
  readonly portOk: number;
  readonly udpDenied: number;
  readonly udpOk: number;
  readonly bindDenied: number;
  readonly abstract: string;
}

export interface Attack {
  /** The program: programs/<name>.c */
  readonly name: string;
  readonly category: Category;
  /** Magic commands added after the base policy (see basePolicy), or a whole policy instead of it. */
  readonly policy?: (c: AttackContext) => readonly string[];
  readonly replacePolicy?: boolean;
  /** Default: root only. */
  readonly users?: readonly User[];
  readonly mode?: Mode;
  /** A race: bounded tries in CI (SB_ATTACK_TRIES/SECONDS), rates reported. */
  readonly race?: boolean;
  /** Host-side preparation beyond the common layout (setuid copies, fd senders). */
  readonly needs?: readonly ('suid' | 'caps' | 'handle' | 'fd-socket' | 'i386')[];
  /** Per backend; a backend without an entry must block everything. */
  readonly expect: Readonly<Record<string, Expectation>>;
}

const blocked: Expectation = { outcome: 'blocked' };
const documented = (limitation: LimitationId): Expectation => ({ outcome: 'documented', limitation });
const bug = (issue: string): Expectation => ({ outcome: 'bug', issue });

/**
 * Backends by the names @sb/sandbox's features() gives them. 'ptrace+landlock' keeps in ptrace what
 * Landlock cannot express (deny rules inside allowed trees, as in basePolicy), so for this corpus it
 * shares ptrace's limitations; 'landlock' refuses such policies (the run is reported as n/a).
 */
const SUPERVISED = ['ptrace', 'ptrace+landlock', 'unotify', 'user-notif'] as const;
const ALL = [...SUPERVISED, 'landlock'] as const;
const each = (names: readonly string[], e: Expectation) => Object.fromEntries(names.map((n) => [n, e]));

/** Blocked by every backend. */
const all = each(ALL, blocked);
/** Inherent to supervising from outside with a copy of the arguments (ptrace and seccomp user notification). */
const supervised = (l: LimitationId) => ({ ...each(SUPERVISED, documented(l)), landlock: blocked });
/**
 * Inherent to supervising with a copy of the arguments, except under seccomp user notification,
 * which makes the call itself with the argument it checked (the open family, an internet connect).
 */
const supervisedButNotified = (l: LimitationId) => ({
  ...supervised(l),
  unotify: blocked,
  'user-notif': blocked,
});
/** Inherent to every backend. */
const everywhere = (l: LimitationId) => each(ALL, documented(l));
/** A bug of sb's ptrace supervision (see /tmp/sb-requests/attacks.md and the report). */

/**
 * The policy every attack runs under (sydbox-1 magic commands after the `default` profile).
 * Paths are the run's work directory layout (see programs/attack.h).
 */
export function basePolicy(c: AttackContext): string[] {
  const d = c.dir;
  return [
    'core/sandbox/read:allow',
    `denylist/read+${d}/vault/***`,
    `denylist/read+${d}/hidden/***`,
    'core/sandbox/stat:allow',
    `denylist/stat+${d}/hidden/***`,
    `denylist/write+${d}/protected/***`,
    `denylist/write+${d}/vault/***`,
    `denylist/write+${d}/hidden/***`,
    'core/sandbox/exec:deny',
    'allowlist/exec+/usr/***',
    'allowlist/exec+/bin/***',
    `allowlist/exec+${c.cacheDir}/***`,
    `allowlist/exec+${d}/scripts/***`,
    `allowlist/exec+${d}/suid/***`,
    `denylist/network/connect+LOOPBACK@${c.portDenied}`,
    `denylist/network/connect+LOOPBACK6@${c.portDenied}`,
    `denylist/network/connect+LOOPBACK@${c.udpDenied}`,
    `denylist/network/connect+unix-abstract:${c.abstract}`,
    `denylist/network/bind+LOOPBACK@${c.bindDenied}`,
    `denylist/network/bind+LOOPBACK6@${c.bindDenied}`,
  ];
}

/**
 * The same intent as basePolicy, as allow-lists only (what Landlock can express): used on the
 * 'landlock' backend for the file-system techniques, since basePolicy's deny-inside-allow rules
 * are refused there. Lookups (stat) and addresses are not restricted by it.
 */
export function landlockPolicy(c: AttackContext): string[] {
  const d = c.dir;
  return [
    'core/sandbox/read:deny',
    ...['/usr/***', '/etc/***', '/proc/***', '/dev/***', `${c.cacheDir}/***`].map(
      (p) => `allowlist/read+${p}`,
    ),
    ...['public', 'protected', 'scripts', 'suid', 'denied-exec'].map((p) => `allowlist/read+${d}/${p}/***`),
    'core/sandbox/write:deny',
    ...[`${d}/public/***`, `${d}/scripts/***`, '/dev/null', '/dev/pts/***', '/dev/tty'].map(
      (p) => `allowlist/write+${p}`,
    ),
    'core/sandbox/exec:deny',
    ...['/usr/***', `${c.cacheDir}/***`, `${d}/scripts/***`].map((p) => `allowlist/exec+${p}`),
    'core/sandbox/stat:off',
    'core/sandbox/network:off',
  ];
}

/** Techniques the landlockPolicy variant covers (file system only). */
export function fileSystemOnly(a: Attack): boolean {
  const fs: readonly Category[] = [
    'argument race',
    'filesystem race',
    'filesystem',
    'magic link',
    'bypass call',
  ];
  return fs.includes(a.category) && !/connect|scm-rights|chdir/.test(a.name);
}

export const CORPUS: readonly Attack[] = [
  // Argument races: the supervisor reads the argument, then the kernel reads it again.
  {
    name: 'race-open-thread',
    category: 'argument race',
    race: true,
    users: ['root', 'nobody'],
    expect: supervisedButNotified('toctou-memory'),
  },
  {
    name: 'race-creat-thread',
    category: 'argument race',
    race: true,
    expect: supervisedButNotified('toctou-memory'),
  },
  { name: 'race-exec-thread', category: 'argument race', race: true, expect: supervised('toctou-memory') },
  { name: 'race-chdir-thread', category: 'argument race', race: true, expect: supervised('toctou-memory') },
  {
    name: 'race-connect-thread',
    category: 'argument race',
    race: true,
    expect: supervisedButNotified('toctou-memory'),
  },
  { name: 'race-vfork', category: 'argument race', race: true, expect: supervised('toctou-memory') },
  {
    name: 'race-process-vm-writev',
    category: 'argument race',
    race: true,
    users: ['root', 'nobody'],
    expect: supervised('toctou-memory'),
  },
  { name: 'race-proc-self-mem', category: 'argument race', race: true, expect: supervised('toctou-memory') },
  // Filesystem races and names.
  { name: 'fs-symlink-swap-read', category: 'filesystem race', race: true, expect: supervised('toctou-fs') },
  { name: 'fs-symlink-swap-write', category: 'filesystem race', race: true, expect: supervised('toctou-fs') },
  { name: 'fs-rename-exchange', category: 'filesystem race', race: true, expect: supervised('toctou-fs') },
  {
    name: 'fs-cwd-rename',
    category: 'filesystem',
    users: ['root', 'nobody'],
    expect: supervised('path-names'),
  },
  { name: 'fs-hardlink-denied', category: 'filesystem', users: ['root', 'nobody'], expect: all },
  { name: 'fs-hardlink-protected', category: 'filesystem', expect: all },
  { name: 'fs-rename-out', category: 'filesystem', expect: all },
  { name: 'fs-symlink-plain', category: 'filesystem', expect: all },
  { name: 'fs-dotdot', category: 'filesystem', expect: all },
  // Magic links and procfs.
  { name: 'magic-proc-self-root', category: 'magic link', expect: all },
  { name: 'magic-proc-self-fd', category: 'magic link', users: ['root', 'nobody'], expect: all },
  { name: 'magic-dev-fd', category: 'magic link', expect: all },
  { name: 'magic-thread-self', category: 'magic link', expect: all },
  { name: 'magic-sibling-cwd', category: 'magic link', users: ['root', 'nobody'], expect: all },
  { name: 'magic-dirfd-create', category: 'magic link', expect: all },
  { name: 'magic-proc-fd-dir', category: 'magic link', expect: all },
  { name: 'magic-proc-self-cwd', category: 'magic link', expect: all },
  { name: 'magic-proc-pid-fd', category: 'magic link', expect: all },
  // Calls that bypass path checks.
  { name: 'bypass-open-by-handle', category: 'bypass call', needs: ['handle'], expect: all },
  { name: 'bypass-name-to-handle', category: 'bypass call', expect: all },
  { name: 'bypass-io-uring-openat', category: 'bypass call', users: ['root', 'nobody'], expect: all },
  { name: 'bypass-io-uring-connect', category: 'bypass call', expect: all },
  { name: 'bypass-execveat-empty', category: 'bypass call', expect: all },
  { name: 'bypass-exec-proc-fd', category: 'bypass call', expect: all },
  { name: 'bypass-copy-exec', category: 'bypass call', expect: all },
  { name: 'bypass-memfd-exec', category: 'bypass call', users: ['root', 'nobody'], expect: all },
  { name: 'bypass-openat2-in-root', category: 'bypass call', expect: all },
  { name: 'bypass-openat2-symlink-root', category: 'bypass call', expect: all },
  { name: 'bypass-openat2-odd', category: 'bypass call', expect: all },
  {
    name: 'bypass-scm-rights',
    category: 'bypass call',
    needs: ['fd-socket'],
    expect: everywhere('fd-passing'),
  },
  { name: 'bypass-ldso-exec', category: 'bypass call', expect: everywhere('exec-indirect') },
  { name: 'bypass-shebang', category: 'bypass call', expect: supervised('exec-indirect') },
  // ABI confusion (this kernel: no IA32 emulation, no x32; see machine facts).
  { name: 'abi-x32-open', category: 'abi', expect: all },
  { name: 'abi-x32-creat', category: 'abi', expect: all },
  { name: 'abi-int80-open', category: 'abi', expect: all },
  { name: 'abi-socketcall', category: 'abi', expect: all },
  { name: 'abi-i386-binary', category: 'abi', needs: ['i386'], expect: all },
  { name: 'abi-upper-dirfd', category: 'abi', expect: all },
  { name: 'abi-upper-flags', category: 'abi', expect: all },
  { name: 'abi-nr-upper', category: 'abi', expect: all },
  // Process tracking.
  { name: 'proc-clone-untraced', category: 'process tracking', users: ['root', 'nobody'], expect: all },
  { name: 'proc-clone3', category: 'process tracking', expect: all },
  { name: 'proc-fork-bomb', category: 'process tracking', users: ['root', 'nobody'], expect: all },
  { name: 'proc-thread-bomb', category: 'process tracking', expect: all },
  { name: 'proc-exec-nonleader', category: 'process tracking', expect: all },
  { name: 'proc-traceme', category: 'process tracking', expect: all },
  { name: 'proc-ptrace-sibling', category: 'process tracking', users: ['root', 'nobody'], expect: all },
  { name: 'proc-set-ptracer', category: 'process tracking', expect: all },
  { name: 'proc-suspend-seccomp', category: 'process tracking', expect: all },
  // proc-second-filter-trace, proc-*-supervisor, priv-*chroot and priv-tiocsti escaped when the
  // corpus was first run (bugs B1-B4 in SECURITY.md); fixed the same day, they stay as regression rows.
  {
    name: 'proc-second-filter-trace',
    category: 'process tracking',
    users: ['root', 'nobody'],
    expect: all,
  },
  {
    name: 'proc-ptrace-supervisor',
    category: 'process tracking',
    mode: 'isolated',
    users: ['root', 'nobody'],
    expect: all,
  },
  {
    name: 'proc-vm-write-supervisor',
    category: 'process tracking',
    mode: 'isolated',
    users: ['root', 'nobody'],
    expect: all,
  },
  {
    name: 'proc-signal-supervisor',
    category: 'process tracking',
    mode: 'isolated',
    users: ['root', 'nobody'],
    expect: all,
  },
  // Privileges.
  { name: 'priv-setuid', category: 'privileges', needs: ['suid'], users: ['nobody'], expect: all },
  { name: 'priv-file-caps', category: 'privileges', needs: ['caps'], users: ['nobody'], expect: all },
  { name: 'priv-userns', category: 'privileges', users: ['root', 'nobody'], expect: all },
  { name: 'priv-unshare-mount', category: 'privileges', expect: all },
  {
    name: 'priv-chroot',
    category: 'privileges',
    expect: all,
  },
  {
    name: 'priv-userns-chroot',
    category: 'privileges',
    users: ['nobody'],
    expect: all,
  },
  {
    name: 'priv-tiocsti',
    category: 'privileges',
    mode: 'pty',
    users: ['root', 'nobody'],
    expect: all,
  },
  // Network.
  { name: 'net-connect-plain', category: 'network', expect: all },
  { name: 'net-mapped-v6', category: 'network', users: ['root', 'nobody'], expect: all },
  { name: 'net-unspecified', category: 'network', expect: all },
  {
    name: 'net-port0-bind',
    category: 'network',
    replacePolicy: true,
    policy: () => ['core/sandbox/network/bind:deny', 'allowlist/network/bind+LOOPBACK@40000-40010'],
    expect: all,
  },
  { name: 'net-bind-denied', category: 'network', expect: all },
  {
    name: 'net-listen-autobind',
    category: 'network',
    replacePolicy: true,
    policy: () => ['core/sandbox/network/bind:deny'],
    expect: everywhere('listen-autobind'),
  },
  { name: 'net-abstract', category: 'network', expect: all },
  { name: 'net-sendto-connected', category: 'network', expect: all },
  { name: 'net-sendmsg-name', category: 'network', expect: all },
  { name: 'net-sockaddr-len', category: 'network', expect: all },
  {
    name: 'net-sibling-bound',
    category: 'network',
    replacePolicy: true,
    policy: () => ['core/sandbox/network/connect:deny', 'core/sandbox/network/bind:allow'],
    users: ['root', 'nobody'],
    // B5, fixed: the allowance is for sockets of the bound one's type and protocol.
    expect: all,
  },
  // Errors and odd arguments.
  { name: 'err-mkdir-oracle', category: 'errors', users: ['root', 'nobody'], expect: all },
  { name: 'err-open-oracle', category: 'errors', expect: all },
  { name: 'err-lookup-oracle', category: 'errors', expect: all },
  { name: 'err-too-long', category: 'errors', expect: all },
  { name: 'err-non-utf8', category: 'errors', expect: all },
  { name: 'err-bad-pointers', category: 'errors', users: ['root', 'nobody'], expect: all },
  { name: 'err-magic-lock', category: 'errors', expect: all },
  { name: 'err-at-empty-path', category: 'errors', expect: all },
];

/** The expectation of an attack on a backend (a backend without an entry must block). */
export function expectationFor(a: Attack, backend: string): Expectation {
  return a.expect[backend] ?? blocked;
}
