/**
 * Opening a file for a trapped open call, race-free. The supervisor has already
 * checked a resolved path (absolute inside the caller's root, no symlinks in it);
 * here it opens exactly that name, from the caller's root (/proc/PID/root with
 * RESOLVE_IN_ROOT), refusing every symlink on the way (RESOLVE_NO_SYMLINKS), with
 * the caller's credentials and umask, and verifies that the object it got is the
 * object that was checked (device and inode) before anything with side effects
 * (O_TRUNC, a blocking FIFO open) happens: existing objects are first opened
 * O_PATH, verified, then re-opened through our own /proc/self/fd entry, which no
 * one else can change. The fd then goes to the caller with ADDFD.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { EAGAIN, EINVAL, ELOOP, ESRCH, RESOLVE_CHECKED, RESOLVE_IN_ROOT } from './constants.js';
import { type Creds, CredsError, type ThreadCreds } from './creds.js';
import { atCall, close, errno, fcntl, mknodAt, openat2, symlinkAt, twoAtCall } from './native.js';

/** Native open(2) flag values (x86_64 and aarch64 differ in four bits). */
export interface NativeOpenFlags {
  readonly O_ACCMODE: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly O_NOCTTY: number;
  readonly O_TRUNC: number;
  readonly O_NONBLOCK: number;
  readonly O_DIRECTORY: number;
  readonly O_NOFOLLOW: number;
  readonly O_CLOEXEC: number;
  readonly O_PATH: number;
  readonly O_TMPFILE: number;
  /** Every bit openat2 accepts (VALID_OPEN_FLAGS). */
  readonly valid: number;
}

const GENERIC = { O_ACCMODE: 3, O_CREAT: 0o100, O_EXCL: 0o200, O_NOCTTY: 0o400, O_TRUNC: 0o1000 };
const X86 = {
  ...GENERIC,
  O_NONBLOCK: 0o4000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_CLOEXEC: 0o2000000,
  O_PATH: 0o10000000,
  O_TMPFILE: 0o20200000,
  // O_ACCMODE|CREAT|EXCL|NOCTTY|TRUNC|APPEND|NONBLOCK|DSYNC|FASYNC|DIRECT|LARGEFILE|DIRECTORY|NOFOLLOW|NOATIME|CLOEXEC|SYNC|PATH|TMPFILE
  valid: 0o37777703,
};
const ARM64 = {
  ...X86,
  O_DIRECTORY: 0o40000,
  O_NOFOLLOW: 0o100000,
  O_TMPFILE: 0o20040000,
};

export function nativeOpenFlags(arch: string = process.arch): NativeOpenFlags {
  if (arch === 'x64' || arch === 'x86_64') return X86;
  if (arch === 'arm64' || arch === 'aarch64') return ARM64;
  throw new Error(`@sb/unotify: no open flag table for ${arch}`);
}

export interface OpenRequest {
  /** The calling thread (supervisor's pid namespace). */
  readonly tid: number;
  /** The checked path, absolute inside the caller's root. */
  readonly path: Uint8Array;
  /** The caller's open flags, already in native values. */
  readonly flags: number;
  readonly mode: number;
  /** The checked object's identity when it existed. */
  readonly exists: boolean;
  readonly dev?: number;
  readonly ino?: number;
  /** Reached through a magic link to an object without a path (pipe, socket): follow it, then verify. */
  readonly pathless?: boolean;
}

export type OpenResult =
  | { readonly fd: number }
  /** The kernel's errno for this open. */
  | { readonly errno: number }
  /** The object changed between check and open: check again. */
  | { readonly changed: true };

/** struct open_how for openat2. */
export function how(flags: number, mode: number, resolve: number): Uint8Array {
  const b = new Uint8Array(24);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, BigInt(flags >>> 0), true);
  v.setBigUint64(8, BigInt(mode), true);
  v.setBigUint64(16, BigInt(resolve), true);
  return b;
}

const AT_FDCWD = -100;
const F_SETFL = 4;
const F_GETFL = 3;
const S_IFMT = 0o170000;
const S_IFIFO = 0o10000;

export function sameObject(fd: number, dev: number | undefined, ino: number | undefined): boolean {
  if (dev === undefined || ino === undefined) return true;
  return isObject(fstatSync(fd, { bigint: true }), dev, ino);
}

function isObject(st: { readonly dev: bigint; readonly ino: bigint }, dev?: number, ino?: number): boolean {
  return dev === undefined || ino === undefined || (Number(st.dev) === dev && Number(st.ino) === ino);
}

/**
 * Runs `fn` inside the caller's root with the caller's credentials, in the one safe order:
 * an O_PATH fd of `/proc/TID/root` is taken, then SECCOMP_IOCTL_NOTIF_ID_VALID is asked
 * (`valid`), so a pid reused since the notification never lends us another process's root
 * or rights; only then does `fn` run under `creds`. A credential switch that fails is EACCES,
 * never a fall-back to our own.
 */
export function inCallerRoot<T>(
  tid: number,
  creds: Creds,
  thread: ThreadCreds,
  valid: () => boolean,
  fn: (root: number, f: NativeOpenFlags) => T | { readonly errno: number },
  /** `fn` may create a file: it needs the caller's umask too. */
  creates = true,
): T | { readonly errno: number } {
  const f = nativeOpenFlags();
  const root = openat2(AT_FDCWD, `/proc/${tid}/root`, how(f.O_PATH | f.O_DIRECTORY | f.O_CLOEXEC, 0, 0));
  if (root < 0) return { errno: errno() };
  try {
    if (!valid()) return { errno: ESRCH };
    return thread.with(creds, () => fn(root, f), { umask: creates });
  } catch (e) {
    if (e instanceof CredsError) return { errno: 13 };
    throw e;
  } finally {
    close(root);
  }
}

/**
 * Opens `req.path` for the caller; never follows a symlink the check did not see.
 * `creds` are the caller's (read from /proc/PID/status); `thread` switches to them.
 */
export function openForCaller(
  req: OpenRequest,
  creds: Creds,
  thread: ThreadCreds,
  /**
   * SECCOMP_IOCTL_NOTIF_ID_VALID of the call: asked after the caller's root and
   * credentials were taken and before anything is opened, so a pid reused since the
   * notification never gets a file opened with another process's root or rights.
   */
  valid: () => boolean,
): OpenResult {
  const f = nativeOpenFlags();
  return inCallerRoot(
    req.tid,
    creds,
    thread,
    valid,
    (root) => openInRoot(root, req, f),
    creates(req.flags, f),
  );
}

/** O_TMPFILE: all of its bits (its value includes O_DIRECTORY's), not any of them. */
function isTmpfile(flags: number, f: NativeOpenFlags): boolean {
  return (flags & f.O_TMPFILE) === f.O_TMPFILE;
}

/** Whether an open with these flags may create a file (then it needs the caller's umask). */
function creates(flags: number, f: NativeOpenFlags): boolean {
  return (flags & f.valid & f.O_CREAT) !== 0 || isTmpfile(flags & f.valid, f);
}

function openInRoot(root: number, req: OpenRequest, f: NativeOpenFlags): OpenResult {
  const wanted = req.flags & f.valid;
  const cloexec = f.O_CLOEXEC;
  const tmpfile = isTmpfile(wanted, f);
  const creating = creates(wanted, f);
  const mode = creating ? req.mode & 0o7777 : 0;

  // A new file (or O_TMPFILE in a directory): created by name, nothing to verify yet.
  if ((creating && !req.exists) || tmpfile) {
    const fd = openat2(root, req.path, how(wanted | cloexec | f.O_NOCTTY, mode, RESOLVE_CHECKED));
    if (fd < 0) return failure(errno(), req);
    return { fd };
  }

  // An existing object: pin it with O_PATH, verify it, then re-open our own fd.
  const nofollow = (wanted & f.O_NOFOLLOW) !== 0 ? f.O_NOFOLLOW : 0;
  const pinFlags = f.O_PATH | cloexec | nofollow | (wanted & f.O_DIRECTORY);
  const pin = req.pathless
    ? openat2(root, req.path, how(pinFlags, 0, RESOLVE_IN_ROOT))
    : openat2(root, req.path, how(pinFlags, 0, RESOLVE_CHECKED));
  if (pin < 0) return failure(errno(), req);
  let keep = false;
  try {
    // One fstat for the identity check and the type below.
    const st = fstatSync(pin, { bigint: true });
    if (!isObject(st, req.dev, req.ino)) return { changed: true };
    if ((wanted & f.O_PATH) !== 0) {
      keep = true;
      return { fd: pin };
    }
    // O_CREAT|O_EXCL on an existing object.
    if (creating && (wanted & f.O_EXCL) !== 0) return { errno: 17 };
    // /dev/tty means the opener's controlling terminal: the caller's, never ours.
    const type = Number(st.mode) & S_IFMT;
    if (type === S_IFCHR && Number(st.rdev) === DEV_TTY) return openControllingTty(root, req, wanted, f);
    const fifo = type === S_IFIFO;
    // A blocking FIFO open would block this thread (and every other call of the sandbox).
    const extra = fifo && (wanted & f.O_NONBLOCK) === 0 ? f.O_NONBLOCK : 0;
    // Through /proc/self/fd: O_NOFOLLOW and O_CREAT mean nothing for our own pinned fd.
    const reopenFlags = (wanted & ~(f.O_NOFOLLOW | f.O_CREAT | f.O_EXCL)) | cloexec | f.O_NOCTTY | extra;
    const fd = openat2(AT_FDCWD, `/proc/self/fd/${pin}`, how(reopenFlags, 0, 0));
    if (fd < 0) return { errno: errno() };
    if (extra !== 0) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~f.O_NONBLOCK);
    return { fd };
  } finally {
    if (!keep) close(pin);
  }
}

const S_IFCHR = 0o20000;
/** makedev(5, 0): /dev/tty. */
const DEV_TTY = (5 << 8) | 0;
const ENXIO = 6;

/** The caller's controlling terminal (stat field tty_nr), or null when it has none. */
export function controllingTty(tid: number): { major: number; minor: number; rdev: number } | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${tid}/stat`, 'latin1');
  } catch {
    return null;
  }
  // Fields after the command name (which may hold spaces and parentheses): state ppid pgrp session tty_nr.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ttyNr = Number(rest[4] ?? 0);
  if (!Number.isInteger(ttyNr) || ttyNr === 0) return null;
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  return { major, minor, rdev: (major << 8) | (minor & 0xff) | ((minor & ~0xff) << 12) };
}

/** Where the caller's controlling terminal is, as a path inside its root. */
function ttyPath(t: { major: number; minor: number }): string | null {
  // Unix98 ptys: majors 136..143.
  if (t.major >= 136 && t.major <= 143) return `/dev/pts/${(t.major - 136) * 256 + t.minor}`;
  try {
    const m = /^DEVNAME=(.+)$/m.exec(readFileSync(`/sys/dev/char/${t.major}:${t.minor}/uevent`, 'latin1'));
    return m ? `/dev/${m[1]}` : null;
  } catch {
    return null;
  }
}

function openControllingTty(root: number, req: OpenRequest, wanted: number, f: NativeOpenFlags): OpenResult {
  const t = controllingTty(req.tid);
  if (t === null) return { errno: ENXIO };
  const path = ttyPath(t);
  if (path === null) return { errno: ENXIO };
  const flags = (wanted & ~(f.O_NOFOLLOW | f.O_CREAT | f.O_EXCL | f.O_TRUNC)) | f.O_CLOEXEC | f.O_NOCTTY;
  const fd = openat2(root, path, how(flags, 0, RESOLVE_CHECKED));
  if (fd < 0) return { errno: errno() };
  const st = fstatSync(fd);
  if ((st.mode & S_IFMT) !== S_IFCHR || st.rdev !== t.rdev) {
    close(fd);
    return { errno: ENXIO };
  }
  return { fd };
}

/** ELOOP where the check saw no symlink: something was swapped in since; check again. */
function failure(e: number, req: OpenRequest): OpenResult {
  if (e === ELOOP && !isNofollowLoop(req)) return { changed: true };
  if (e === EAGAIN) return { changed: true };
  if (e === EINVAL) return { errno: EINVAL };
  return { errno: e };
}

function isNofollowLoop(req: OpenRequest): boolean {
  return (req.flags & nativeOpenFlags().O_NOFOLLOW) !== 0;
}

export type PathOp =
  | { readonly op: 'unlink'; readonly dir: boolean }
  | { readonly op: 'mkdir'; readonly mode: number }
  /** `target` is the link's text, as read once from the caller (never walked here). */
  | { readonly op: 'symlink'; readonly target: Uint8Array }
  | { readonly op: 'mknod'; readonly mode: number; readonly dev: number }
  /** The checked path is the old name; `to` the checked new name. */
  | { readonly op: 'rename'; readonly to: Uint8Array; readonly flags: number }
  | { readonly op: 'link'; readonly to: Uint8Array };

const AT_REMOVEDIR = 0x200;

/** A path's parent directory and last component; null for "/" or an empty last component. */
function splitLast(path: Uint8Array): { parent: Uint8Array; base: Uint8Array } | null {
  const slash = path.lastIndexOf(0x2f);
  const base = path.subarray(slash + 1);
  if (slash < 0 || base.length === 0) return null;
  return { parent: slash === 0 ? Buffer.from('/') : path.subarray(0, slash), base };
}

/**
 * unlink/rmdir/mkdir/symlink/mknod of the checked path, and rename/link from it to a second
 * checked path, for the caller, race-free: each parent directory is pinned (O_PATH, from the
 * caller's root, no symlinks) and the last components handled relative to the pins, with the
 * caller's credentials and umask. The result is the kernel's: 0 or an errno.
 */
export function pathOpForCaller(
  tid: number,
  path: Uint8Array,
  op: PathOp,
  creds: Creds,
  thread: ThreadCreds,
  valid: () => boolean,
): { readonly ok: true } | { readonly errno: number } {
  const from = splitLast(path);
  const to = op.op === 'rename' || op.op === 'link' ? splitLast(op.to) : null;
  if (from === null || ((op.op === 'rename' || op.op === 'link') && to === null)) return { errno: EINVAL };
  return inCallerRoot(tid, creds, thread, valid, (root, f) => {
    const pin = (parent: Uint8Array) =>
      openat2(root, parent, how(f.O_PATH | f.O_DIRECTORY | f.O_CLOEXEC, 0, RESOLVE_CHECKED));
    const dir = pin(from.parent);
    if (dir < 0) return { errno: errno() };
    const other = to === null ? -1 : pin(to.parent);
    try {
      if (to !== null && other < 0) return { errno: errno() };
      const base = from.base;
      let r: number;
      switch (op.op) {
        case 'unlink':
          r = atCall('unlinkat', dir, base, op.dir ? AT_REMOVEDIR : 0);
          break;
        case 'mkdir':
          r = atCall('mkdirat', dir, base, op.mode & 0o7777);
          break;
        case 'symlink':
          r = symlinkAt(op.target, dir, base);
          break;
        case 'mknod':
          r = mknodAt(dir, base, op.mode, op.dev);
          break;
        case 'rename':
          r = twoAtCall('renameat2', dir, base, other, to!.base, op.flags);
          break;
        case 'link':
          // Both names are resolved already (the source's symlink followed when asked): no flags.
          r = twoAtCall('linkat', dir, base, other, to!.base, 0);
          break;
      }
      return r === 0 ? { ok: true as const } : { errno: errno() };
    } finally {
      close(dir);
      if (other >= 0) close(other);
    }
  });
}
