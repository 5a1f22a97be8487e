/**
 * The stat family, readlink and the reading of extended attributes for a trapped call,
 * race-free, like the open emulation: the checked path is pinned with O_PATH from the caller's
 * root (RESOLVE_IN_ROOT, no symlink the check did not see, the caller's credentials for the
 * search permissions on the way), verified to be the checked object (device and inode), and
 * stat'ed (or read) through the pin. The result is written into the
 * caller's buffer through /proc/PID/mem, opened before the notification's validity check, so it
 * cannot reach a process that took the caller's pid afterwards. /proc/PID/mem writes even
 * read-only private pages, where the kernel's own copy fails with EFAULT: the buffer is first
 * checked against /proc/PID/maps (also opened before the check) to keep that EFAULT.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { EAGAIN, EINVAL, ELOOP, ESRCH, RESOLVE_CHECKED, RESOLVE_IN_ROOT } from './constants.js';
import type { Creds, ThreadCreds } from './creds.js';
import {
  close,
  errno,
  fstatFd,
  fstatfsFd,
  getxattrPath,
  ioctl,
  listxattrPath,
  openat2,
  readlinkFd,
  statxFd,
} from './native.js';
import { how, inCallerRoot, type NativeOpenFlags, sameObject } from './open.js';

/** sizeof(struct stat) of the native ABI (what newfstatat and x86_64's stat/lstat write). */
export function nativeStatSize(arch: string = process.arch): number {
  if (arch === 'x64' || arch === 'x86_64') return 144;
  if (arch === 'arm64' || arch === 'aarch64') return 128;
  throw new Error(`@sb/unotify: no struct stat layout for ${arch}`);
}

/** sizeof(struct statfs) of the native ABI (the 64-bit layout: the same on x86_64 and aarch64). */
export const STATFS_SIZE = 120;

/** sizeof(struct statx), the same on every ABI. */
export const STATX_SIZE = 256;

export type StatCall =
  /** newfstatat / stat / lstat: struct stat. `flags` are the call's AT_NO_AUTOMOUNT bit. */
  | { readonly kind: 'stat'; readonly flags: number }
  /** statx: its AT_STATX_SYNC_* and AT_NO_AUTOMOUNT flags, and the mask. */
  | { readonly kind: 'statx'; readonly flags: number; readonly mask: number }
  /**
   * readlink / readlinkat: at most `size` bytes of the link's content (the call's bufsiz, > 0).
   * procfs magic links (/proc/PID/exe, fd/N, cwd) give a path as seen from the supervisor's
   * root: in a mount namespace that is the namespace's root, as the caller sees it, but not
   * a root the caller entered with chroot(2) (which sb's policies deny unless allowed).
   */
  | { readonly kind: 'readlink'; readonly size: number }
  /** statfs: the native struct statfs. */
  | { readonly kind: 'statfs' }
  /**
   * getxattr family: the value of the extended attribute `name` (read once from the caller,
   * checked by the caller), at most `size` bytes (0: its size only, nothing written).
   */
  | { readonly kind: 'getxattr'; readonly name: Uint8Array; readonly size: number }
  /** listxattr family: the names, at most `size` bytes (0: their size only). */
  | { readonly kind: 'listxattr'; readonly size: number };

export interface StatRequest {
  /** The calling thread (supervisor's pid namespace). */
  readonly tid: number;
  /** The checked path, absolute inside the caller's root. */
  readonly path: Uint8Array;
  /** Whether a symlink in the last component was followed by the check (stat) or not (lstat). */
  readonly follow: boolean;
  /** The checked object's identity. */
  readonly dev?: number;
  readonly ino?: number;
  /** Reached through a magic link to an object without a path (pipe, socket): follow it, then verify. */
  readonly pathless?: boolean;
  readonly call: StatCall;
  /** The caller's buffer. */
  readonly buf: bigint;
}

export type StatResult =
  /** Done; `value` is the call's return value (0, or readlink's byte count). */
  | { readonly ok: true; readonly value: number }
  /** The kernel's errno for this call. */
  | { readonly errno: number }
  /** The object changed between check and stat: check again. */
  | { readonly changed: true };

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
/** A symlink's content is at most PATH_MAX - 1 bytes. */
const linkBuf = new Uint8Array(4096);
const EFAULT = 14;
/** Highest user address a double holds exactly; no ABI maps user memory above it. */
const MAX_ADDR = BigInt(Number.MAX_SAFE_INTEGER);

export function statForCaller(
  req: StatRequest,
  creds: Creds,
  thread: ThreadCreds,
  /** SECCOMP_IOCTL_NOTIF_ID_VALID, asked once the caller's root and memory are held. */
  valid: () => boolean,
): StatResult {
  // The caller's memory and maps are taken before the validity check, like its root (in
  // inCallerRoot): then they cannot be another process's.
  let mem = -1;
  let maps = -1;
  try {
    try {
      mem = openSync(`/proc/${req.tid}/mem`, 'r+');
      maps = openSync(`/proc/${req.tid}/maps`, 'r');
    } catch {
      // Gone (the check below says so) or not ours to write: the kernel could not write either.
      return valid() ? { errno: EFAULT } : { errno: ESRCH };
    }
    const out = onPinnedObject(req, creds, thread, valid, (pin) => statPinned(pin, req.call));
    if (!(out instanceof Uint8Array)) return out;
    if (req.buf > MAX_ADDR || !writableRange(maps, req.buf, out.length)) return { errno: EFAULT };
    try {
      if (writeSync(mem, out, 0, out.length, Number(req.buf)) !== out.length) return { errno: EFAULT };
    } catch {
      return { errno: EFAULT };
    }
    return {
      ok: true,
      value:
        req.call.kind === 'stat' || req.call.kind === 'statx' || req.call.kind === 'statfs' ? 0 : out.length,
    };
  } finally {
    if (mem >= 0) closeSync(mem);
    if (maps >= 0) closeSync(maps);
  }
}

const chunk = Buffer.alloc(65536);

function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n <= 0) break;
    chunks.push(Buffer.from(chunk.subarray(0, n)));
  }
  return Buffer.concat(chunks).toString('latin1');
}

/** include/uapi/linux/fs.h: _IOWR('f', 17, struct procmap_query) (6.11). */
const PROCMAP_QUERY = 0xc0686611;
const PROCMAP_QUERY_SIZE = 104;
const PROCMAP_QUERY_VMA_WRITABLE = 0x02;
const ENOENT = 2;
/** Whether the kernel answers PROCMAP_QUERY; null until asked. */
let procmapQuery: boolean | null = null;
const query = new Uint8Array(PROCMAP_QUERY_SIZE);
const qv = new DataView(query.buffer);

/**
 * Whether [addr, addr+len) lies in writable mappings of the process whose /proc/PID/maps
 * `mapsFd` is: VMA by VMA with PROCMAP_QUERY (6.11), else by reading the whole text.
 */
function writableRange(mapsFd: number, addr: bigint, len: number): boolean {
  if (len === 0) return true;
  if (procmapQuery !== false) {
    const end = addr + BigInt(len);
    let need = addr;
    while (need < end) {
      query.fill(0);
      qv.setBigUint64(0, BigInt(PROCMAP_QUERY_SIZE), true);
      // query_flags 0: the VMA covering query_addr, or ENOENT.
      qv.setBigUint64(16, need, true);
      if (ioctl(mapsFd, PROCMAP_QUERY, query) !== 0) {
        const e = errno();
        if (e === ENOENT) return false;
        if (procmapQuery === null) break; // ENOTTY/EINVAL: a kernel without it; read the text.
        return false;
      }
      procmapQuery = true;
      if ((qv.getBigUint64(40, true) & BigInt(PROCMAP_QUERY_VMA_WRITABLE)) === 0n) return false;
      need = qv.getBigUint64(32, true);
    }
    if (procmapQuery === true) return true;
    procmapQuery = false;
  }
  return writable(readAll(mapsFd), addr, len);
}

/** Whether [addr, addr+len) lies in writable mappings of a /proc/PID/maps text (sorted by address). */
export function writable(maps: string, addr: bigint, len: number): boolean {
  const end = addr + BigInt(len);
  let need = addr;
  for (const line of maps.split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) (.)(.)/.exec(line);
    if (!m) continue;
    const lo = BigInt(`0x${m[1]}`);
    const hi = BigInt(`0x${m[2]}`);
    if (hi <= need) continue;
    if (lo > need || m[4] !== 'w') return false;
    need = hi;
    if (need >= end) return true;
  }
  return false;
}

/** What identifies a checked object for pinning: its path, whether the check followed a final symlink, its identity. */
export interface CheckedObject {
  readonly path: Uint8Array;
  readonly follow: boolean;
  readonly dev?: number;
  readonly ino?: number;
  readonly pathless?: boolean;
}

/**
 * An O_PATH fd of the checked object, opened from the caller's root with no symlink the check
 * did not see (O_NOFOLLOW when the check did not follow a final one: the link itself) and
 * verified by device and inode; or why not (`changed`: check again).
 */
export function pinChecked(
  root: number,
  o: CheckedObject,
  f: NativeOpenFlags,
): number | { readonly changed: true } | { readonly errno: number } {
  const pinFlags = f.O_PATH | f.O_CLOEXEC | (o.follow ? 0 : f.O_NOFOLLOW);
  const pin = openat2(root, o.path, how(pinFlags, 0, o.pathless ? RESOLVE_IN_ROOT : RESOLVE_CHECKED));
  if (pin < 0) {
    const e = errno();
    // A symlink where the check saw none, or a rename during the walk: check again.
    return e === ELOOP || e === EAGAIN ? { changed: true } : { errno: e };
  }
  if (sameObject(pin, o.dev, o.ino)) return pin;
  close(pin);
  return { changed: true };
}

/**
 * Runs `act` on a pin of the checked object (pinChecked), from the caller's root with `creds`
 * (inCallerRoot: the root is taken and the notification checked before anything runs).
 */
export function onPinnedObject<T>(
  req: CheckedObject & { readonly tid: number },
  creds: Creds,
  thread: ThreadCreds,
  valid: () => boolean,
  act: (pin: number, f: NativeOpenFlags) => T,
): T | { readonly errno: number } | { readonly changed: true } {
  return inCallerRoot(
    req.tid,
    creds,
    thread,
    valid,
    (root, f) => {
      const pin = pinChecked(root, req, f);
      if (typeof pin !== 'number') return pin;
      try {
        return act(pin, f);
      } finally {
        close(pin);
      }
    },
    // Describing or changing an existing object creates nothing: no umask.
    false,
  );
}

/** XATTR_SIZE_MAX and XATTR_LIST_MAX: the most the kernel copies for one call. */
const XATTR_MAX = 65536;

function statPinned(pin: number, c: StatCall): Uint8Array | StatResult {
  if (c.kind === 'getxattr' || c.kind === 'listxattr') {
    // Through our own /proc/self/fd/N, which names the pinned object (a symlink pinned as itself
    // stays itself: lgetxattr). The kernel caps the buffer at 64 KiB and says E2BIG when the
    // value does not fit even then; asking with the same size gives its own answers.
    const out = new Uint8Array(Math.min(c.size, XATTR_MAX));
    const self = `/proc/self/fd/${pin}`;
    const n = c.kind === 'getxattr' ? getxattrPath(self, c.name, out) : listxattrPath(self, out);
    if (n < 0) return { errno: errno() };
    return c.size === 0 ? { ok: true, value: n } : out.slice(0, n);
  }
  if (c.kind === 'readlink') {
    // readlink of anything but a symlink is EINVAL (readlinkat of an fd would say ENOENT).
    if ((fstatSync(pin).mode & S_IFMT) !== S_IFLNK) return { errno: EINVAL };
    const n = readlinkFd(pin, linkBuf);
    return n < 0 ? { errno: errno() } : linkBuf.slice(0, Math.min(n, c.size));
  }
  if (c.kind === 'statfs') {
    const out = new Uint8Array(STATFS_SIZE);
    return fstatfsFd(pin, out) === 0 ? out : { errno: errno() };
  }
  const out = new Uint8Array(c.kind === 'statx' ? STATX_SIZE : nativeStatSize());
  const r = c.kind === 'statx' ? statxFd(pin, c.flags, c.mask, out) : fstatFd(pin, out, c.flags);
  return r === 0 ? out : { errno: errno() };
}
