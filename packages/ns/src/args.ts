/**
 * bubblewrap-style command-line options -> namespace options, environment changes
 * and the rest of `sb run`'s sandbox settings. Options that build the root apply
 * in the order given, across options, as in bwrap; so the argument list is
 * scanned in order rather than collected per option.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { CAPABILITIES } from './caps.generated.js';
import type { MountOp, NamespaceName, NamespaceOptionsInput } from './options.js';

export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

export type EnvOp =
  | { readonly set: string; readonly value: string }
  | { readonly unset: string }
  | { readonly clear: true };

export interface ParsedArgs {
  /** Namespace options, or null when no option asked for any. */
  readonly namespaces: NamespaceOptionsInput | null;
  readonly env: readonly EnvOp[];
  readonly chdir?: string;
  /** --new-session / --no-new-session; undefined: the caller's default. */
  readonly newSession?: boolean;
  readonly jsonStatusFd?: number;
  readonly infoFd?: number;
  /** The program and its arguments. */
  readonly command: readonly string[];
}

/** bwrap options sb leaves out, and why (for a clear error rather than "unknown option"). */
export const UNSUPPORTED: Readonly<Record<string, string>> = {
  '--argv0': 'the program is always started with the argv[0] given',
  '--level-prefix': 'sb prints its own diagnostics',
  '--userns': 'joining an existing user namespace is not supported',
  '--userns2': 'joining an existing user namespace is not supported',
  '--pidns': 'joining an existing pid namespace is not supported',
  '--assert-userns-disabled': 'not implemented (--disable-userns is)',
  '--lock-file': 'not implemented',
  '--sync-fd': 'not implemented; the sandbox ends with sb',
  '--block-fd': 'not implemented',
  '--userns-block-fd': 'not implemented (ids are mapped by sb itself, or with --map-subids)',
  '--seccomp': 'sb builds its own seccomp filter from the policy (-c/-m/-p)',
  '--add-seccomp-fd': 'sb builds its own seccomp filter from the policy (-c/-m/-p)',
  '--exec-label': 'SELinux labels are not supported',
  '--file-label': 'SELinux labels are not supported',
  '--overlay-src': 'overlay mounts are not implemented yet',
  '--overlay': 'overlay mounts are not implemented yet',
  '--tmp-overlay': 'overlay mounts are not implemented yet',
  '--ro-overlay': 'overlay mounts are not implemented yet',
};

interface State {
  unshare: Partial<Record<NamespaceName, boolean | 'try'>>;
  any: boolean;
  root: MountOp[] | undefined;
  uid?: number;
  gid?: number;
  hostname?: string;
  asPid1?: boolean;
  caps: Set<string>;
  capsTouched: boolean;
  mapSubordinateIds?: boolean;
  disableUserns?: boolean;
  offsets: { monotonic?: number; boottime?: number };
  perms?: number;
  size?: number;
  env: EnvOp[];
  chdir?: string;
  newSession?: boolean;
  jsonStatusFd?: number;
  infoFd?: number;
}

const fdNumber = (opt: string, v: string) => {
  if (!/^\d+$/.test(v)) throw new ArgsError(`${opt}: expected a file descriptor number, got '${v}'`);
  return Number(v);
};
const idNumber = (opt: string, v: string) => {
  if (!/^\d+$/.test(v) || Number(v) > 0xfffffffe)
    throw new ArgsError(`${opt}: expected a numeric id, got '${v}'`);
  return Number(v);
};
const octal = (opt: string, v: string) => {
  if (!/^[0-7]{1,4}$/.test(v)) throw new ArgsError(`${opt}: expected an octal mode like 0755, got '${v}'`);
  return Number.parseInt(v, 8);
};
const seconds = (opt: string, v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new ArgsError(`${opt}: expected seconds, got '${v}'`);
  return n;
};
const capName = (opt: string, v: string) => {
  const upper = v.toUpperCase();
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (upper !== 'ALL' && !(full in CAPABILITIES)) throw new ArgsError(`${opt}: unknown capability '${v}'`);
  return upper === 'ALL' ? 'ALL' : full;
};

type Handler = (st: State, v: readonly string[], readFd: (fd: number) => Uint8Array, opt: string) => void;

const ns =
  (name: NamespaceName, value: boolean | 'try'): Handler =>
  (st) => {
    st.unshare[name] = value;
    st.any = true;
  };
const op =
  (make: (v: readonly string[], st: State, readFd: (fd: number) => Uint8Array) => MountOp): Handler =>
  (st, v, readFd, opt) => {
    const o = make(v, st, readFd);
    if (!o.dest.startsWith('/'))
      throw new ArgsError(`${opt} ${v.join(' ')}: the destination '${o.dest}' must be an absolute path`);
    st.root ??= [];
    st.root.push(o);
    st.any = true;
  };
const takePerms = (st: State) => {
  const p = st.perms;
  st.perms = undefined;
  return p;
};
const bind = (kind: 'bind' | 'ro-bind' | 'dev-bind', isTry: boolean): Handler =>
  op(([source, dest]) => ({ op: kind, source: source!, dest: dest!, ...(isTry ? { try: true } : {}) }));
const bindFd = (kind: 'bind' | 'ro-bind', opt: string): Handler =>
  op(([fd, dest]) => {
    const n = fdNumber(opt, fd!);
    let source: string;
    try {
      source = realpathSync(`/proc/self/fd/${n}`);
    } catch (e) {
      throw new ArgsError(`${opt} ${n}: not an open file descriptor (${(e as NodeJS.ErrnoException).code})`);
    }
    return { op: kind, source, dest: dest! };
  });
const fromFd = (opt: string, readOnly: boolean): Handler =>
  op(([fd, dest], st, readFd) => {
    const n = fdNumber(opt, fd!);
    let content: Uint8Array;
    try {
      content = readFd(n);
    } catch (e) {
      throw new ArgsError(
        `${opt} ${n}: cannot read the file descriptor (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    const mode = takePerms(st);
    return {
      op: 'file',
      dest: dest!,
      content,
      ...(mode !== undefined ? { mode } : {}),
      ...(readOnly ? { readOnly } : {}),
    };
  });

/** Every option: its number of arguments and what it does. */
const OPTIONS: Readonly<Record<string, { args: number; run: Handler; help: string }>> = {
  '--unshare-all': {
    args: 0,
    help: 'new user (try), ipc, pid, net, uts and cgroup (try) namespaces',
    run: (st) => {
      Object.assign(st.unshare, { user: 'try', ipc: true, pid: true, net: true, uts: true, cgroup: 'try' });
      st.any = true;
    },
  },
  '--share-net': {
    args: 0,
    help: 'keep the host network (after --unshare-all)',
    run: (st) => void delete st.unshare.net,
  },
  '--unshare-user': { args: 0, help: 'new user namespace', run: ns('user', true) },
  '--unshare-user-try': { args: 0, help: 'new user namespace if possible', run: ns('user', 'try') },
  '--unshare-ipc': { args: 0, help: 'new IPC namespace', run: ns('ipc', true) },
  '--unshare-pid': { args: 0, help: 'new pid namespace', run: ns('pid', true) },
  '--unshare-net': { args: 0, help: 'new network namespace (only lo, up)', run: ns('net', true) },
  '--unshare-uts': { args: 0, help: 'new UTS namespace', run: ns('uts', true) },
  '--unshare-cgroup': { args: 0, help: 'new cgroup namespace', run: ns('cgroup', true) },
  '--unshare-cgroup-try': { args: 0, help: 'new cgroup namespace if possible', run: ns('cgroup', 'try') },
  '--unshare-time': { args: 0, help: 'new time namespace (sb)', run: ns('time', true) },
  '--monotonic-offset': {
    args: 1,
    help: 'SECS: CLOCK_MONOTONIC offset in the time namespace (sb)',
    run: (st, [v]) => {
      st.offsets.monotonic = seconds('--monotonic-offset', v!);
      st.any = true;
    },
  },
  '--boottime-offset': {
    args: 1,
    help: 'SECS: CLOCK_BOOTTIME offset in the time namespace (sb)',
    run: (st, [v]) => {
      st.offsets.boottime = seconds('--boottime-offset', v!);
      st.any = true;
    },
  },
  '--uid': {
    args: 1,
    help: 'UID: the uid inside',
    run: (st, [v]) => {
      st.uid = idNumber('--uid', v!);
    },
  },
  '--gid': {
    args: 1,
    help: 'GID: the gid inside',
    run: (st, [v]) => {
      st.gid = idNumber('--gid', v!);
    },
  },
  '--disable-userns': {
    args: 0,
    help: 'no further user namespaces inside the sandbox',
    run: (st) => {
      st.disableUserns = true;
      st.any = true;
    },
  },
  '--map-subids': {
    args: 0,
    help: 'also map the subordinate ids of /etc/subuid and /etc/subgid (newuidmap) (sb)',
    run: (st) => {
      st.mapSubordinateIds = true;
      st.any = true;
    },
  },
  '--hostname': {
    args: 1,
    help: 'NAME: host name in the new UTS namespace',
    run: (st, [v]) => {
      st.hostname = v!;
    },
  },
  '--chdir': {
    args: 1,
    help: 'DIR: working directory of the program',
    run: (st, [v]) => {
      st.chdir = v!;
    },
  },
  '--setenv': { args: 2, help: 'VAR VALUE', run: (st, [k, v]) => void st.env.push({ set: k!, value: v! }) },
  '--unsetenv': { args: 1, help: 'VAR', run: (st, [k]) => void st.env.push({ unset: k! }) },
  '--clearenv': {
    args: 0,
    help: 'start from an empty environment',
    run: (st) => {
      st.env.push({ clear: true });
    },
  },
  '--bind': { args: 2, help: 'SRC DEST: bind read-write', run: bind('bind', false) },
  '--bind-try': { args: 2, help: 'SRC DEST: same, skipped if SRC is missing', run: bind('bind', true) },
  '--ro-bind': { args: 2, help: 'SRC DEST: bind read-only', run: bind('ro-bind', false) },
  '--ro-bind-try': { args: 2, help: 'SRC DEST: same, skipped if SRC is missing', run: bind('ro-bind', true) },
  '--dev-bind': { args: 2, help: 'SRC DEST: bind allowing devices', run: bind('dev-bind', false) },
  '--dev-bind-try': {
    args: 2,
    help: 'SRC DEST: same, skipped if SRC is missing',
    run: bind('dev-bind', true),
  },
  '--bind-fd': { args: 2, help: 'FD DEST: bind the directory open at FD', run: bindFd('bind', '--bind-fd') },
  '--ro-bind-fd': { args: 2, help: 'FD DEST: same, read-only', run: bindFd('ro-bind', '--ro-bind-fd') },
  '--remount-ro': {
    args: 1,
    help: 'DEST: make the mount at DEST read-only',
    run: op(([d]) => ({ op: 'remount-ro', dest: d! })),
  },
  '--proc': {
    args: 1,
    help: 'DEST: procfs of the new pid namespace',
    run: op(([d]) => ({ op: 'proc', dest: d! })),
  },
  '--dev': { args: 1, help: 'DEST: a minimal /dev', run: op(([d]) => ({ op: 'dev', dest: d! })) },
  '--mqueue': {
    args: 1,
    help: 'DEST: a POSIX message queue filesystem',
    run: op(([d]) => ({ op: 'mqueue', dest: d! })),
  },
  '--tmpfs': {
    args: 1,
    help: 'DEST: a tmpfs (with --size and --perms before it)',
    run: op(([d], st) => {
      const mode = takePerms(st);
      const size = st.size;
      st.size = undefined;
      return {
        op: 'tmpfs',
        dest: d!,
        ...(mode !== undefined ? { mode } : {}),
        ...(size !== undefined ? { size } : {}),
      };
    }),
  },
  '--dir': {
    args: 1,
    help: 'DEST: a directory',
    run: op(([d], st) => {
      const mode = takePerms(st);
      return { op: 'dir', dest: d!, ...(mode !== undefined ? { mode } : {}) };
    }),
  },
  '--symlink': {
    args: 2,
    help: 'TARGET DEST: a symbolic link',
    run: op(([t, d]) => ({ op: 'symlink', target: t!, dest: d! })),
  },
  '--file': { args: 2, help: 'FD DEST: a file holding what FD reads', run: fromFd('--file', false) },
  '--bind-data': { args: 2, help: 'FD DEST: same as --file', run: fromFd('--bind-data', false) },
  '--ro-bind-data': {
    args: 2,
    help: 'FD DEST: a read-only file holding what FD reads',
    run: fromFd('--ro-bind-data', true),
  },
  '--file-text': {
    args: 2,
    help: 'TEXT DEST: a file holding TEXT (sb)',
    run: op(([text, d], st) => {
      const mode = takePerms(st);
      return { op: 'file', dest: d!, content: text!, ...(mode !== undefined ? { mode } : {}) };
    }),
  },
  '--chmod': {
    args: 2,
    help: 'OCTAL PATH',
    run: op(([m, p]) => ({ op: 'chmod', dest: p!, mode: octal('--chmod', m!) })),
  },
  '--perms': {
    args: 1,
    help: 'OCTAL: mode of the next --tmpfs/--dir/--file',
    run: (st, [v]) => {
      st.perms = octal('--perms', v!);
    },
  },
  '--size': {
    args: 1,
    help: 'BYTES: size of the next --tmpfs',
    run: (st, [v]) => {
      if (!/^\d+$/.test(v!) || Number(v) === 0)
        throw new ArgsError(`--size: expected a number of bytes, got '${v}'`);
      st.size = Number(v);
    },
  },
  '--as-pid-1': {
    args: 0,
    help: 'the program is pid 1 (no reaper)',
    run: (st) => {
      st.asPid1 = true;
    },
  },
  '--die-with-parent': { args: 0, help: 'always on: the sandbox dies with sb', run: () => {} },
  '--new-session': {
    args: 0,
    help: 'setsid() (the default)',
    run: (st) => {
      st.newSession = true;
    },
  },
  '--no-new-session': {
    args: 0,
    help: "stay in the caller's session (sb)",
    run: (st) => {
      st.newSession = false;
    },
  },
  '--cap-add': {
    args: 1,
    help: 'CAP: keep a capability (or ALL)',
    run: (st, [v]) => {
      const c = capName('--cap-add', v!);
      for (const n of c === 'ALL' ? Object.keys(CAPABILITIES) : [c]) st.caps.add(n);
      st.capsTouched = true;
    },
  },
  '--cap-drop': {
    args: 1,
    help: 'CAP: drop a kept capability (or ALL)',
    run: (st, [v]) => {
      const c = capName('--cap-drop', v!);
      if (c === 'ALL') st.caps.clear();
      else st.caps.delete(c);
      st.capsTouched = true;
    },
  },
  '--json-status-fd': {
    args: 1,
    help: 'FD: JSON lines with the pid, namespaces and exit code',
    run: (st, [v]) => {
      st.jsonStatusFd = fdNumber('--json-status-fd', v!);
    },
  },
  '--info-fd': {
    args: 1,
    help: 'FD: JSON with the pid and namespaces',
    run: (st, [v]) => {
      st.infoFd = fdNumber('--info-fd', v!);
    },
  },
};

/** The options and their help, for `sb run --help`. */
export const ARG_HELP: readonly [string, string][] = Object.entries(OPTIONS).map(([k, v]) => [k, v.help]);

export function isNamespaceOption(arg: string): boolean {
  return arg in OPTIONS || arg === '--args' || arg in UNSUPPORTED;
}

const readFdAll = (fd: number): Uint8Array => readFileSync(fd);

/**
 * Parses bwrap-style options up to the program (the first argument that is not an
 * option, or the one after `--`). `--args FD` splices NUL-separated arguments read from FD.
 */
export function parseBwrapArgs(
  argv: readonly string[],
  readFd: (fd: number) => Uint8Array = readFdAll,
): ParsedArgs {
  const st: State = {
    unshare: {},
    any: false,
    root: undefined,
    caps: new Set(),
    capsTouched: false,
    offsets: {},
    env: [],
  };
  const args = [...argv];
  let i = 0;
  let command: string[] = [];
  while (i < args.length) {
    const a = args[i]!;
    if (a === '--') {
      command = args.slice(i + 1);
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      command = args.slice(i);
      break;
    }
    if (a === '--args') {
      const fd = fdNumber('--args', args[i + 1] ?? '');
      const text = Buffer.from(readFd(fd)).toString('utf8');
      const more = text.split('\0');
      if (more.at(-1) === '') more.pop();
      args.splice(i, 2, ...more);
      continue;
    }
    const reason = UNSUPPORTED[a];
    if (reason !== undefined) throw new ArgsError(`${a} (bubblewrap) is not supported: ${reason}`);
    const o = OPTIONS[a];
    if (o === undefined) throw new ArgsError(`unknown option ${a}`);
    const values = args.slice(i + 1, i + 1 + o.args);
    if (values.length < o.args)
      throw new ArgsError(`${a} needs ${o.args} argument${o.args > 1 ? 's' : ''} (${o.help.split(':')[0]})`);
    if (
      st.perms !== undefined &&
      !['--tmpfs', '--dir', '--file', '--bind-data', '--ro-bind-data', '--file-text', '--size'].includes(a)
    )
      throw new ArgsError(
        `--perms must come right before --tmpfs, --dir, --file, --bind-data, --ro-bind-data or --file-text, not ${a}`,
      );
    if (st.size !== undefined && !['--tmpfs', '--perms'].includes(a))
      throw new ArgsError(`--size must come right before --tmpfs, not ${a}`);
    o.run(st, values, readFd, a);
    i += 1 + o.args;
  }
  if (st.perms !== undefined)
    throw new ArgsError('--perms is not followed by an option that creates something');
  if (st.size !== undefined) throw new ArgsError('--size is not followed by --tmpfs');
  const hasOffsets = st.offsets.monotonic !== undefined || st.offsets.boottime !== undefined;
  const wantsNs =
    st.any ||
    st.uid !== undefined ||
    st.gid !== undefined ||
    st.hostname !== undefined ||
    st.asPid1 === true ||
    st.capsTouched;
  const namespaces: NamespaceOptionsInput | null = wantsNs
    ? {
        unshare: st.unshare,
        ...(st.root !== undefined ? { root: st.root } : {}),
        ...(st.uid !== undefined ? { uid: st.uid } : {}),
        ...(st.gid !== undefined ? { gid: st.gid } : {}),
        ...(st.hostname !== undefined ? { hostname: st.hostname } : {}),
        ...(st.asPid1 ? { asPid1: true } : {}),
        ...(st.mapSubordinateIds ? { mapSubordinateIds: true } : {}),
        ...(st.disableUserns ? { disableUserns: true } : {}),
        ...(hasOffsets ? { timeOffsets: st.offsets } : {}),
        keepCapabilities: [...st.caps],
      }
    : null;
  return {
    namespaces,
    env: st.env,
    ...(st.chdir !== undefined ? { chdir: st.chdir } : {}),
    ...(st.newSession !== undefined ? { newSession: st.newSession } : {}),
    ...(st.jsonStatusFd !== undefined ? { jsonStatusFd: st.jsonStatusFd } : {}),
    ...(st.infoFd !== undefined ? { infoFd: st.infoFd } : {}),
    command,
  };
}

/** Applies --setenv/--unsetenv/--clearenv in order to `base`. */
export function applyEnv(
  base: Readonly<Record<string, string | undefined>>,
  ops: readonly EnvOp[],
): Record<string, string> {
  let env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const o of ops) {
    if ('clear' in o) env = {};
    else if ('unset' in o) delete env[o.unset];
    else env[o.set] = o.value;
  }
  return env;
}
