/**
 * Namespace options -> a @sb/ptrace setup program (plain data the launcher runs in
 * its single-threaded stub before execve). The order matters and follows
 * bubblewrap: unshare -> id maps (written from outside) -> time offsets -> fork
 * into the pid/time namespaces -> private mounts -> new root -> host name ->
 * loopback -> capability drops -> fork a reaper as pid 1.
 */
import type { SetupProgram } from '@sb/ptrace';
import { CAPABILITIES } from './caps.generated.js';
import { dropCapabilities } from './caps.js';
import {
  AF_INET,
  AT_FDCWD,
  CLONE,
  ERRNO,
  IFF_LOOPBACK,
  IFF_RUNNING,
  IFF_UP,
  MS_PRIVATE,
  MS_REC,
  O_CLOEXEC,
  O_WRONLY,
  PR_SET_NAME,
  SIOCSIFFLAGS,
  SOCK_DGRAM,
} from './constants.js';
import type { HostInfo } from './host.js';
import {
  NAMESPACE_NAMES,
  type NamespaceName,
  NamespaceOptionsError,
  type NamespaceOptionsInput,
  parseNamespaceOptions,
} from './options.js';
import { buildRoot } from './root.js';
import { bytes, int, result, Steps, str } from './steps.js';

/** What a compiled program does, for messages and for the caller's checks. */
export interface NamespacePlan {
  /** Namespaces created (a `try` one counts when it will be attempted). */
  readonly namespaces: readonly NamespaceName[];
  /** The ones that may fail quietly. */
  readonly optional: readonly NamespaceName[];
  readonly userNamespace: boolean;
  /** A new root replaces the host's. */
  readonly newRoot: boolean;
  /** The reaper stays above the program as pid 1. */
  readonly reaper: boolean;
  /** uid/gid of the program inside. */
  readonly uid: number;
  readonly gid: number;
}

export interface CompiledNamespaces {
  readonly program: SetupProgram;
  readonly plan: NamespacePlan;
}

/** "monotonic 5 0" lines for /proc/PID/timens_offsets; seconds may be negative or fractional. */
export function timensOffsets(offsets: { monotonic?: number; boottime?: number }): string {
  const lines: string[] = [];
  for (const clock of ['monotonic', 'boottime'] as const) {
    const v = offsets[clock];
    if (v === undefined) continue;
    const ns = BigInt(Math.round(v * 1e9));
    let secs = ns / 1_000_000_000n;
    let nanos = ns % 1_000_000_000n;
    if (nanos < 0n) {
      secs -= 1n;
      nanos += 1_000_000_000n;
    }
    lines.push(`${clock} ${secs} ${nanos}`);
  }
  return `${lines.join('\n')}\n`;
}

/** id lines for newuidmap/newgidmap: `inside` -> the caller, the subordinate range around it. */
export function subordinateMap(
  inside: number,
  outside: number,
  sub: { start: number; count: number },
): number[] {
  const out = [inside, outside, 1];
  const below = Math.min(inside, sub.count);
  if (below > 0) out.push(0, sub.start, below);
  if (sub.count > below) out.push(inside + 1, sub.start + below, sub.count - below);
  return out;
}

function ifreqLoopbackUp(): Uint8Array {
  // struct ifreq: char ifr_name[16]; short ifr_flags (in a 24-byte union).
  const b = new Uint8Array(40);
  b.set(new TextEncoder().encode('lo'), 0);
  new DataView(b.buffer).setInt16(16, IFF_UP | IFF_LOOPBACK | IFF_RUNNING, true);
  return b;
}

/** Compiles validated (or raw, validated here) options against `host`; throws NamespaceOptionsError on bad input. */
export function compileNamespaces(input: NamespaceOptionsInput, host: HostInfo): CompiledNamespaces {
  const opts = parseNamespaceOptions(input);
  const unshare = opts.unshare ?? {};
  const asked = (n: NamespaceName) => unshare[n] === true || unshare[n] === 'try';
  const root = opts.root;
  const mount = asked('mount') || root !== undefined;
  const others = NAMESPACE_NAMES.filter((n) => n !== 'user' && n !== 'mount' && asked(n));
  const privileged = host.uid === 0;
  // Unprivileged, nothing else can be created without a user namespace around it.
  const user =
    unshare.user === true ||
    (unshare.user === 'try' && host.userNamespaces) ||
    (!privileged && (mount || others.length > 0 || opts.uid !== undefined || opts.gid !== undefined));

  if ((opts.uid !== undefined || opts.gid !== undefined) && !user)
    throw new NamespaceOptionsError('--uid/--gid need a user namespace (--unshare-user)');
  if (opts.hostname !== undefined && !asked('uts'))
    throw new NamespaceOptionsError('--hostname needs a new UTS namespace (--unshare-uts)');
  if (opts.timeOffsets !== undefined && !asked('time'))
    throw new NamespaceOptionsError('time offsets need a new time namespace (--unshare-time)');
  if (opts.disableUserns && !user)
    throw new NamespaceOptionsError('--disable-userns needs a user namespace (--unshare-user)');
  if (user && !asked('pid') && (root ?? []).some((o) => o.op === 'proc'))
    throw new NamespaceOptionsError(
      '--proc in a user namespace needs a new pid namespace (--unshare-pid): the kernel lets it mount only a proc it owns',
    );
  if (opts.asPid1 && !asked('pid'))
    throw new NamespaceOptionsError('--as-pid-1 needs a new pid namespace (--unshare-pid)');
  const keep = new Set(
    (opts.keepCapabilities ?? []).map((c) => CAPABILITIES[c as keyof typeof CAPABILITIES]),
  );
  if (keep.size > 0 && !privileged && !user)
    throw new NamespaceOptionsError('--cap-add needs root or a user namespace (--unshare-user)');
  for (const c of keep)
    if (c > host.capLastCap)
      throw new NamespaceOptionsError(
        `--cap-add: capability ${c} is unknown to this kernel (last is ${host.capLastCap})`,
      );

  const s = new Steps();
  // The user namespace comes first in the one unshare(), so every other is owned by it.
  const requiredAll: NamespaceName[] = [
    ...(user ? (['user'] as const) : []),
    ...(mount && (unshare.mount !== 'try' || root !== undefined) ? (['mount'] as const) : []),
    ...others.filter((n) => unshare[n] === true),
  ];
  const optionalAll: NamespaceName[] = [
    ...(mount && !requiredAll.includes('mount') ? (['mount'] as const) : []),
    ...others.filter((n) => unshare[n] === 'try'),
  ];
  const flags = requiredAll.reduce((f, n) => f | CLONE[n], 0);
  if (flags !== 0) s.sys(`unshare(${requiredAll.join(', ')})`, 'unshare', [int(flags)]);
  // A try form is a separate call whose refusal is ignored (inside the new user namespace, if any).
  const tried = new Map<NamespaceName, string>();
  for (const n of optionalAll) {
    const save = s.name(`unshare-${n}`);
    tried.set(n, save);
    s.sys(`unshare(${n}) (try)`, 'unshare', [int(CLONE[n])], {
      save,
      okErrnos: [ERRNO.EPERM, ERRNO.EINVAL, ERRNO.ENOSPC, ERRNO.EUSERS, ERRNO.EACCES],
    });
  }

  const uid = opts.uid ?? host.uid;
  const gid = opts.gid ?? host.gid;
  if (user) {
    const subUid = opts.mapSubordinateIds ? host.subordinate('uid') : null;
    const subGid = opts.mapSubordinateIds ? host.subordinate('gid') : null;
    if (opts.mapSubordinateIds && (subUid === null || subGid === null))
      throw new NamespaceOptionsError(
        `subordinate ids: no range for uid ${host.uid} in /etc/subuid or gid ${host.gid} in /etc/subgid`,
      );
    if (subUid !== null && subGid !== null) {
      s.push({
        kind: 'run-host',
        step: 'newuidmap',
        argv: ['newuidmap', '{pid}', ...subordinateMap(uid, host.uid, subUid).map(String)],
      });
      s.push({
        kind: 'run-host',
        step: 'newgidmap',
        argv: ['newgidmap', '{pid}', ...subordinateMap(gid, host.gid, subGid).map(String)],
      });
    } else {
      // Unprivileged writers must deny setgroups before writing gid_map.
      if (!privileged)
        s.push({ kind: 'write-proc', step: 'setgroups deny', file: 'setgroups', content: 'deny' });
      s.push({ kind: 'write-proc', step: 'uid_map', file: 'uid_map', content: `${uid} ${host.uid} 1\n` });
      s.push({ kind: 'write-proc', step: 'gid_map', file: 'gid_map', content: `${gid} ${host.gid} 1\n` });
    }
  }
  if (opts.timeOffsets !== undefined) {
    s.push({
      kind: 'write-proc',
      step: 'time offsets',
      file: 'timens_offsets',
      content: timensOffsets(opts.timeOffsets),
    });
  }
  // Only children enter a new pid or time namespace: continue in one.
  if (asked('pid') || asked('time'))
    s.push({ kind: 'fork', step: 'fork into the new pid/time namespace', parent: 'kill' });

  if (opts.disableUserns) {
    // The sysctl of the user namespace the stub is in (it has CAP_SYS_RESOURCE there): nested ones fail with ENOSPC.
    const fd = s.name('userns-max');
    s.sys(
      'open user.max_user_namespaces',
      'openat',
      [AT_FDCWD, str('/proc/sys/user/max_user_namespaces'), O_WRONLY | O_CLOEXEC],
      {
        save: fd,
      },
    );
    s.sys('user.max_user_namespaces = 0', 'write', [result(fd), bytes(new TextEncoder().encode('0\n')), 2n]);
    s.sys('close user.max_user_namespaces', 'close', [result(fd)]);
  }
  if (mount) {
    const priv = () =>
      s.sys('make every mount private', 'mount', [0n, str('/'), 0n, int(MS_REC | MS_PRIVATE), 0n]);
    // Never on the host's own mounts: only when the new mount namespace exists.
    const tries = tried.get('mount');
    if (tries !== undefined) s.onlyIf(tries, priv);
    else priv();
  }
  if (root !== undefined) {
    buildRoot(s, root, host);
    // Where the caller was, when the new root has it (bwrap does the same); else /.
    s.sys(`chdir ${host.cwd} (if it exists in the new root)`, 'chdir', [str(host.cwd)], {
      okErrnos: [ERRNO.ENOENT, ERRNO.ENOTDIR, ERRNO.EACCES, ERRNO.ENAMETOOLONG],
    });
  }
  if (opts.hostname !== undefined) {
    const name = new TextEncoder().encode(opts.hostname);
    s.sys(`sethostname ${opts.hostname}`, 'sethostname', [str(opts.hostname), int(name.length)]);
  }
  if (asked('net') && opts.loopback !== false) {
    const sock = s.name('sock');
    const up = () => {
      s.sys('loopback: socket', 'socket', [AF_INET, SOCK_DGRAM | O_CLOEXEC, 0n], { save: sock });
      s.sys('loopback: ioctl(SIOCSIFFLAGS lo up)', 'ioctl', [
        result(sock),
        SIOCSIFFLAGS,
        bytes(ifreqLoopbackUp()),
      ]);
      s.sys('loopback: close', 'close', [result(sock)]);
    };
    // After a refused try, the loopback is the host's: not ours to touch.
    const net = tried.get('net');
    if (net !== undefined) s.onlyIf(net, up);
    else up();
  }
  if (privileged || user) dropCapabilities(s, keep, host.capLastCap, uid === 0);
  const reaper = asked('pid') && !opts.asPid1;
  if (reaper) {
    // The reaper keeps this name (comm) in ps; the program's exec replaces it.
    s.sys('name the reaper', 'prctl', [PR_SET_NAME, str('sb-init')]);
    s.push({ kind: 'fork', step: 'fork below the reaper (pid 1)', parent: 'reaper' });
  }
  return {
    program: { early: s.list },
    plan: {
      namespaces: [...requiredAll, ...optionalAll],
      optional: optionalAll,
      userNamespace: user,
      newRoot: root !== undefined,
      reaper,
      uid,
      gid,
    },
  };
}
