/**
 * Acting with the caller's credentials on the supervisor thread. The supervisor
 * opens files for the sandboxed program, so the kernel's permission checks must
 * see the program's fsuid, fsgid, groups, effective capabilities and umask, not
 * ours (a root supervisor would otherwise read /etc/shadow for a uid 65534
 * program). All of these are per thread in the kernel: setfsuid/setfsgid, the raw
 * setgroups and capset change only the calling thread, and the umask is made
 * per-thread by unshare(CLONE_FS) once (see `privateFs`).
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { capget, capset, errno, nrs, setgroupsThread, syscall } from './native.js';

export interface Creds {
  readonly fsuid: number;
  readonly fsgid: number;
  readonly groups: readonly number[];
  /** CapEff as two 32-bit words (low, high). */
  readonly capEff: readonly [number, number];
  readonly umask: number;
  /**
   * The real ids and the permitted capabilities, for access(2), which checks with the real
   * ids (and, for a real uid 0, the permitted capabilities); absent when CapPrm is not shown.
   */
  readonly real?: { readonly uid: number; readonly gid: number; readonly capPrm: readonly [number, number] };
  /**
   * Set when the caller is in another user namespace than ours (its capabilities are then
   * dropped here, and its uids and gids are not ours to pass on).
   */
  readonly foreignUserNamespace?: true;
}

/** Parses /proc/PID/status (values as this process's user namespace sees them). */
export function parseStatus(text: string): Creds | null {
  const uid = /^Uid:\s+(\d+)\s+\d+\s+\d+\s+(\d+)$/m.exec(text);
  const gid = /^Gid:\s+(\d+)\s+\d+\s+\d+\s+(\d+)$/m.exec(text);
  const prm = /^CapPrm:\s+([0-9a-f]{1,16})$/m.exec(text);
  const groups = /^Groups:[ \t]*([\d \t]*)$/m.exec(text);
  const cap = /^CapEff:\s+([0-9a-f]{1,16})$/m.exec(text);
  const umask = /^Umask:\s+([0-7]+)$/m.exec(text);
  if (!uid || !gid || !groups || !cap) return null;
  const c = BigInt(`0x${cap[1]}`);
  const p = prm ? BigInt(`0x${prm[1]}`) : null;
  return {
    fsuid: Number(uid[2]),
    fsgid: Number(gid[2]),
    groups: (groups[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((g) => g !== '')
      .map(Number),
    capEff: [Number(c & 0xffffffffn), Number(c >> 32n)],
    // Umask: appeared in 4.7; before that the strictest mask is the safe guess.
    umask: umask ? Number.parseInt(umask[1] ?? '77', 8) : 0o077,
    ...(p !== null
      ? {
          real: {
            uid: Number(uid[1]),
            gid: Number(gid[1]),
            capPrm: [Number(p & 0xffffffffn), Number(p >> 32n)] as const,
          },
        }
      : {}),
  };
}

// Read on every emulated call: one reused buffer, no stat of the file (readFileSync does both).
const statusBuf = Buffer.alloc(16384);

/**
 * The caller's credentials, or null when they cannot be read (deny). A caller in another user
 * namespace than ours keeps no capabilities here: its capabilities hold in its own namespace
 * only (over the inodes mapped there), while ours would be those of our namespace, over every
 * inode: a root supervisor would lend a program that made itself "root" of a new namespace
 * (or one started with --unshare-user --cap-add) the host's CAP_DAC_OVERRIDE.
 */
export function readCreds(tid: number): Creds | null {
  const c = readStatus(tid);
  if (c === null) return null;
  // Read after the status: a thread that has left our namespace can never come back into it
  // (setns needs CAP_SYS_ADMIN over the target), so "ours now" means "ours when read".
  const ns = userNamespace(`/proc/${tid}/ns/user`);
  // A multi-threaded process cannot change its user namespace: ours is read once.
  ownNs ??= userNamespace('/proc/self/ns/user');
  if (ns === null || ownNs === null) return null;
  if (ns === ownNs) return c;
  return {
    ...c,
    capEff: [0, 0],
    ...(c.real ? { real: { ...c.real, capPrm: [0, 0] as const } } : {}),
    foreignUserNamespace: true,
  };
}

let ownNs: string | null = null;

function userNamespace(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

function readStatus(tid: number): Creds | null {
  let fd: number;
  try {
    fd = openSync(`/proc/${tid}/status`, 'r');
  } catch {
    return null;
  }
  try {
    // The kernel renders the file whole at the first read: a read that did not fill the
    // buffer returned all of it (no second read to see the end).
    const n = readSync(fd, statusBuf, 0, statusBuf.length, null);
    // Larger than the buffer (thousands of groups): read it whole the slow way.
    if (n === statusBuf.length) return parseStatus(readFileSync(`/proc/${tid}/status`, 'latin1'));
    return parseStatus(statusBuf.toString('latin1', 0, n));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

export class CredsError extends Error {
  constructor(
    readonly op: string,
    readonly errno: number,
  ) {
    super(`cannot take on the caller's credentials: ${op} failed with errno ${errno}`);
    this.name = 'CredsError';
  }
}

const CLONE_FS = 0x200;
let fsPrivate = false;

/** unshare(CLONE_FS) on the calling thread: its own umask (and cwd) from now on. */
export function privateFs(): void {
  if (fsPrivate) return;
  if (syscall(nrs.unshare, CLONE_FS) !== 0) throw new CredsError('unshare(CLONE_FS)', errno());
  fsPrivate = true;
}

/** This thread's own credentials, to switch back to. */
export class ThreadCreds {
  private readonly caps = new Uint32Array(6);
  private groupsChanged = false;
  readonly own: Creds;

  constructor() {
    if (capget(this.caps) !== 0) throw new CredsError('capget', errno());
    const self = readStatus(Number(syscall(nrs.gettid)));
    if (!self) throw new CredsError('read /proc/thread-self/status', 0);
    this.own = self;
  }

  /**
   * Runs `fn` with `c` as this thread's file-system credentials, then switches
   * back (also when fn throws). Throws CredsError when a switch fails: the caller
   * must then deny, never fall back to our own credentials.
   */
  with<T>(c: Creds, fn: () => T, opts: { readonly umask?: boolean } = {}): T {
    const own = this.own;
    const same =
      c.fsuid === own.fsuid &&
      c.fsgid === own.fsgid &&
      c.capEff[0] === (this.caps[0] ?? 0) &&
      c.capEff[1] === (this.caps[3] ?? 0) &&
      sameSet(c.groups, own.groups);
    // Only what creates a file needs the caller's umask (one system call less for the rest).
    if (opts.umask !== false) syscall(nrs.umask, c.umask & 0o777);
    if (same) return fn();
    try {
      this.enter(c);
      return fn();
    } finally {
      this.leave();
    }
  }

  private enter(c: Creds): void {
    // Groups first: setgroups needs CAP_SETGID, which capset below may drop.
    if (!sameSet(c.groups, this.own.groups)) {
      if (setgroupsThread(c.groups) !== 0) throw new CredsError('setgroups', errno());
      this.groupsChanged = true;
    }
    syscall(nrs.setfsgid, c.fsgid);
    if (syscall(nrs.setfsgid, 0xffffffff) !== c.fsgid) throw new CredsError('setfsgid', errno());
    syscall(nrs.setfsuid, c.fsuid);
    if (syscall(nrs.setfsuid, 0xffffffff) !== c.fsuid) throw new CredsError('setfsuid', errno());
    // Effective capabilities: the caller's, limited to what we are permitted.
    const want = new Uint32Array(this.caps);
    want[0] = (c.capEff[0] & (this.caps[1] ?? 0)) >>> 0;
    want[3] = (c.capEff[1] & (this.caps[4] ?? 0)) >>> 0;
    if (capset(want) !== 0) throw new CredsError('capset', errno());
  }

  private leave(): void {
    syscall(nrs.setfsuid, this.own.fsuid);
    syscall(nrs.setfsgid, this.own.fsgid);
    if (this.groupsChanged && setgroupsThread(this.own.groups) === 0) this.groupsChanged = false;
    // setfsuid back to 0 restored the file capabilities; capset restores the rest exactly.
    if (capset(new Uint32Array(this.caps)) !== 0) throw new CredsError('capset (restore)', errno());
  }
}

/**
 * The credentials access(2) checks with, unless AT_EACCESS: the real uid and gid, and no
 * capabilities unless the real uid is 0, which has its permitted ones (the kernel's
 * access_override_creds). Null when the status did not show them (deny).
 */
export function accessCreds(c: Creds): Creds | null {
  if (!c.real) return null;
  return {
    ...c,
    fsuid: c.real.uid,
    fsgid: c.real.gid,
    capEff: c.real.uid === 0 ? c.real.capPrm : [0, 0],
  };
}

function sameSet(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
