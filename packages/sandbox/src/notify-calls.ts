/**
 * The calls the unotify handler does itself instead of continuing them (see notify-handler.ts):
 * which argument register holds what, and the answers the kernel gives before it looks a
 * path up (bad flags, "." and ".." as the last name, out-of-range times), which the
 * emulations must give too. Data and pure functions only.
 */
import { nativeArch } from '@sb/syscalls';
import type { Notification } from '@sb/unotify/runtime';

/** The open family's argument registers: path, flags, mode (-1: none), dirfd (-1: AT_FDCWD), how. */
export const OPEN_CALLS: Readonly<
  Record<string, { path: number; flags: number; mode: number; dirfd: number; how?: number }>
> = {
  open: { path: 0, flags: 1, mode: 2, dirfd: -1 },
  openat: { path: 1, flags: 2, mode: 3, dirfd: 0 },
  openat2: { path: 1, flags: -1, mode: -1, dirfd: 0, how: 2 },
  creat: { path: 0, flags: -1, mode: 1, dirfd: -1 },
};

/**
 * Calls done here relative to pinned parents: the operation and the registers it needs
 * beyond the checked paths (-1: none). rename and link have two checked paths, old then new.
 * `flags`: the register of at-flags the call takes, and the bits the kernel accepts there
 * (others are its EINVAL; renameat2's flags go to the kernel as they are).
 */
type PathOpKind = 'unlink' | 'rmdir' | 'unlinkat' | 'mkdir' | 'symlink' | 'mknod' | 'rename' | 'link';
export const PATH_OPS: Readonly<
  Record<
    string,
    { kind: PathOpKind; arg: number; arg2?: number; paths: 1 | 2; flags?: { reg: number; valid: number } }
  >
> = {
  unlink: { kind: 'unlink', arg: -1, paths: 1 },
  rmdir: { kind: 'rmdir', arg: -1, paths: 1 },
  unlinkat: { kind: 'unlinkat', arg: 2, paths: 1, flags: { reg: 2, valid: 0x200 } },
  mkdir: { kind: 'mkdir', arg: 1, paths: 1 },
  mkdirat: { kind: 'mkdir', arg: 2, paths: 1 },
  // arg: the link's text (read once here, never walked).
  symlink: { kind: 'symlink', arg: 0, paths: 1 },
  symlinkat: { kind: 'symlink', arg: 0, paths: 1 },
  mknod: { kind: 'mknod', arg: 1, arg2: 2, paths: 1 },
  mknodat: { kind: 'mknod', arg: 2, arg2: 3, paths: 1 },
  rename: { kind: 'rename', arg: -1, paths: 2 },
  renameat: { kind: 'rename', arg: -1, paths: 2 },
  renameat2: { kind: 'rename', arg: 4, paths: 2 },
  link: { kind: 'link', arg: -1, paths: 2 },
  // AT_SYMLINK_FOLLOW | AT_EMPTY_PATH: the check followed (or not) already.
  linkat: { kind: 'link', arg: -1, paths: 2, flags: { reg: 4, valid: 0x400 | 0x1000 } },
};
export const AT_REMOVEDIR = 0x200;
export const ELOOP = 40;
export const EFAULT = 14;
const EEXIST = 17;
const EISDIR = 21;
const EBUSY = 16;
const ENOTEMPTY = 39;
export const PATH_MAX = 4096;

/** A path's last component (trailing slashes aside) when it is special: 1 ".", 2 "..", 3 "/" alone; else 0. */
export function lastDots(path: Uint8Array): 0 | 1 | 2 | 3 {
  let end = path.length;
  while (end > 0 && path[end - 1] === 0x2f) end--;
  if (end === 0) return 3;
  const start = path.lastIndexOf(0x2f, end - 1) + 1;
  const len = end - start;
  if (len === 1 && path[start] === 0x2e) return 1;
  if (len === 2 && path[start] === 0x2e && path[start + 1] === 0x2e) return 2;
  return 0;
}

/**
 * The kernel's answer when a name to remove, create or rename ends in "." or ".." (or is "/"), which it
 * gives before looking anything up (do_rmdir, do_unlinkat, filename_create, do_renameat2);
 * null when the names are ordinary. (link's source is looked up like any object: a directory,
 * which it then refuses itself.)
 */
export function dotsErrno(kind: PathOpKind, arg: number, dots: readonly (0 | 1 | 2 | 3)[]): number | null {
  const [from = 0, to = 0] = dots;
  const rmdir = (d: number) => [null, EINVAL, ENOTEMPTY, EBUSY][d] ?? null;
  switch (kind) {
    case 'rmdir':
      return rmdir(from);
    case 'unlinkat':
      if ((arg & AT_REMOVEDIR) !== 0) return rmdir(from);
      return from !== 0 ? EISDIR : null;
    case 'unlink':
      return from !== 0 ? EISDIR : null;
    case 'mkdir':
    case 'symlink':
    case 'mknod':
      return from !== 0 ? EEXIST : null;
    case 'rename':
      return from !== 0 || to !== 0 ? EBUSY : null;
    case 'link':
      return to !== 0 ? EEXIST : null;
  }
}

/**
 * The stat family and readlink, done here through a pin of the checked path and written into
 * the caller's buffer (native ABI only: the struct layouts are the supervisor's own). Registers
 * of the buffer, the flags, statx's mask and readlink's bufsiz (-1: none).
 */
interface LookupCall {
  readonly buf: number;
  readonly flags: number;
  readonly mask: number;
  readonly size: number;
}
const none = { flags: -1, mask: -1, size: -1 };
export const STAT_CALLS: Readonly<Record<string, LookupCall>> = {
  stat: { ...none, buf: 1 },
  lstat: { ...none, buf: 1 },
  newfstatat: { ...none, buf: 2, flags: 3 },
  statx: { ...none, buf: 4, flags: 2, mask: 3 },
  readlink: { ...none, buf: 1, size: 2 },
  readlinkat: { ...none, buf: 2, size: 3 },
  statfs: { ...none, buf: 1 },
};

/** access/faccessat/faccessat2 (native ABI): the mode's register and faccessat2's flags'. */
export const ACCESS_CALLS: Readonly<Record<string, { mode: number; flags?: number }>> = {
  access: { mode: 1 },
  faccessat: { mode: 2 },
  faccessat2: { mode: 2, flags: 3 },
};
export const AT_EACCESS = 0x200;
/**
 * Attribute changes done here through a pin of the checked object (native ABI: the struct
 * layouts are the supervisor's own): the registers of their arguments, and of the at-flags
 * (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH are the only ones these calls accept).
 */
type AttrSpec =
  | { readonly kind: 'chmod'; readonly mode: number; readonly flags?: number }
  | { readonly kind: 'chown'; readonly uid: number; readonly gid: number; readonly flags?: number }
  | { readonly kind: 'truncate'; readonly length: number }
  | {
      readonly kind: 'utimens';
      readonly times: number;
      readonly form: 'timespec' | 'timeval' | 'utimbuf';
      readonly flags?: number;
    }
  /** setxattr: name, value and size registers, and XATTR_CREATE/REPLACE's; removexattr: the name's. */
  | {
      readonly kind: 'setxattr';
      readonly name: number;
      readonly value: number;
      readonly size: number;
      readonly xflags: number;
    }
  /** setxattrat (6.13): the value, its size and XATTR_CREATE/REPLACE are in a struct xattr_args. */
  | {
      readonly kind: 'setxattrat';
      readonly name: number;
      readonly args: number;
      readonly usize: number;
      readonly flags: number;
    }
  | { readonly kind: 'removexattr'; readonly name: number; readonly flags?: number };
export const ATTR_CALLS: Readonly<Record<string, AttrSpec>> = {
  chmod: { kind: 'chmod', mode: 1 },
  fchmodat: { kind: 'chmod', mode: 2 },
  fchmodat2: { kind: 'chmod', mode: 2, flags: 3 },
  chown: { kind: 'chown', uid: 1, gid: 2 },
  lchown: { kind: 'chown', uid: 1, gid: 2 },
  fchownat: { kind: 'chown', uid: 2, gid: 3, flags: 4 },
  truncate: { kind: 'truncate', length: 1 },
  utimensat: { kind: 'utimens', times: 2, form: 'timespec', flags: 3 },
  utimes: { kind: 'utimens', times: 1, form: 'timeval' },
  futimesat: { kind: 'utimens', times: 2, form: 'timeval' },
  utime: { kind: 'utimens', times: 1, form: 'utimbuf' },
  // Through /proc/self/fd/N the pinned object itself is changed: a symlink pinned as itself
  // (lsetxattr) included.
  setxattr: { kind: 'setxattr', name: 1, value: 2, size: 3, xflags: 4 },
  lsetxattr: { kind: 'setxattr', name: 1, value: 2, size: 3, xflags: 4 },
  removexattr: { kind: 'removexattr', name: 1 },
  lremovexattr: { kind: 'removexattr', name: 1 },
  setxattrat: { kind: 'setxattrat', name: 3, args: 4, usize: 5, flags: 2 },
  removexattrat: { kind: 'removexattr', name: 3, flags: 2 },
};
/**
 * Reading extended attributes, done here through a pin of the checked object (native ABI): the
 * registers of the name, the caller's buffer and its size, or of getxattrat's struct
 * xattr_args (value, size, flags that must be 0), and of the at-flags.
 */
type XattrReadSpec =
  | {
      readonly kind: 'get';
      readonly name: number;
      readonly buf: number;
      readonly size: number;
      readonly flags?: undefined;
    }
  | {
      readonly kind: 'getat';
      readonly name: number;
      readonly args: number;
      readonly usize: number;
      readonly flags: number;
    }
  | { readonly kind: 'list'; readonly buf: number; readonly size: number; readonly flags?: number };
export const XATTR_READ_CALLS: Readonly<Record<string, XattrReadSpec>> = {
  getxattr: { kind: 'get', name: 1, buf: 2, size: 3 },
  lgetxattr: { kind: 'get', name: 1, buf: 2, size: 3 },
  getxattrat: { kind: 'getat', name: 3, args: 4, usize: 5, flags: 2 },
  listxattr: { kind: 'list', buf: 1, size: 2 },
  llistxattr: { kind: 'list', buf: 1, size: 2 },
  listxattrat: { kind: 'list', buf: 3, size: 4, flags: 2 },
};
/** struct xattr_args { __u64 value; __u32 size; __u32 flags; }: its size in version 0. */
export const XATTR_ARGS_SIZE_VER0 = 16;

/** The byte order of the native ABI's structs (the caller's memory, as emulated calls read it). */
const LE = nativeArch().endian === 'little';

const AF_INET = 2;
const AF_INET6 = 10;
/** Whether a native sockaddr is a whole AF_INET or AF_INET6 one (sa_family is in host order). */
export function isInetSockaddr(raw: Uint8Array): boolean {
  if (raw.length < 2) return false;
  const family = new DataView(raw.buffer, raw.byteOffset, 2).getUint16(0, LE);
  return (family === AF_INET && raw.length >= 16) || (family === AF_INET6 && raw.length >= 24);
}

/**
 * setxattrat's struct xattr_args, read once, with the kernel's answers (copy_struct_from_user):
 * EINVAL under version 0's size, E2BIG over a page or when the bytes past the struct it knows
 * are not zero, EFAULT for unreadable memory.
 */
export function readXattrArgs(
  read: (addr: bigint, len: number) => Uint8Array,
  addr: bigint,
  usize: bigint,
  pageSize: number,
): { value: bigint; size: number; flags: number } | { errno: number } {
  if (usize < BigInt(XATTR_ARGS_SIZE_VER0)) return { errno: EINVAL };
  if (usize > BigInt(pageSize)) return { errno: E2BIG };
  let raw: Uint8Array;
  try {
    raw = read(addr, Number(usize));
  } catch {
    return { errno: EFAULT };
  }
  if (raw.subarray(XATTR_ARGS_SIZE_VER0).some((b) => b !== 0)) return { errno: E2BIG };
  const v = new DataView(raw.buffer, raw.byteOffset, XATTR_ARGS_SIZE_VER0);
  return { value: v.getBigUint64(0, LE), size: v.getUint32(8, LE), flags: v.getUint32(12, LE) };
}

export const XATTR_NAME_MAX = 255;
export const XATTR_SIZE_MAX = 65536;
export const ERANGE = 34;
export const E2BIG = 7;
export const ENAMETOOLONG = 36;

/**
 * The times argument as a native struct timespec[2] (null: now), read once from the caller;
 * the kernel's EINVAL for a microsecond count out of range, EFAULT for unreadable memory.
 */
export function readTimes(
  read: (addr: bigint, len: number) => Uint8Array,
  addr: bigint,
  form: 'timespec' | 'timeval' | 'utimbuf',
): Uint8Array | null | { errno: number } {
  if (addr === 0n) return null;
  let raw: Uint8Array;
  try {
    raw = read(addr, form === 'utimbuf' ? 16 : 32);
  } catch {
    return { errno: EFAULT };
  }
  if (form === 'timespec') return Uint8Array.from(raw);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
  const out = new Uint8Array(32);
  const o = new DataView(out.buffer);
  for (let i = 0; i < 2; i++) {
    if (form === 'utimbuf') {
      o.setBigInt64(i * 16, v.getBigInt64(i * 8, LE), LE);
      continue;
    }
    const usec = v.getBigInt64(i * 16 + 8, LE);
    if (usec < 0n || usec >= 1_000_000n) return { errno: EINVAL };
    o.setBigInt64(i * 16, v.getBigInt64(i * 16, LE), LE);
    o.setBigInt64(i * 16 + 8, usec * 1000n, LE);
  }
  return out;
}

export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_NO_AUTOMOUNT = 0x800;
export const AT_EMPTY_PATH = 0x1000;
export const AT_STATX_SYNC_TYPE = 0x6000;
const STATX__RESERVED = 0x80000000;
export const EINVAL = 22;
export const NATIVE_ABI = nativeArch().name;

/** Argument register `reg` as the kernel's 32-bit int or flags; 0 for no register (undefined or -1). */
export function u32Arg(n: Notification, reg: number | undefined): number {
  return reg === undefined || reg < 0 ? 0 : Number((n.args[reg] ?? 0n) & 0xffffffffn);
}

/** At-flags the attribute calls refuse (EINVAL): any but AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH. */
export function badAtFlags(n: Notification, reg: number | undefined): boolean {
  return reg !== undefined && (u32Arg(n, reg) & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0;
}

export function statArgs(n: Notification, spec: LookupCall): { flags: number; mask: number; size: number } {
  // bufsiz is an int: negative sizes are EINVAL too.
  return { flags: u32Arg(n, spec.flags), mask: u32Arg(n, spec.mask), size: u32Arg(n, spec.size) | 0 };
}

/** The kernel's EINVAL cases of newfstatat, statx and readlink, which it checks before any lookup. */
export function invalidStatFlags(n: Notification, name: string): boolean {
  const spec = STAT_CALLS[name];
  if (!spec) return false;
  const { flags, mask, size } = statArgs(n, spec);
  if (spec.size >= 0) return size <= 0;
  const statx = name === 'statx';
  const known = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | (statx ? AT_STATX_SYNC_TYPE : 0);
  if ((flags & ~known) !== 0) return true;
  return statx && ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED) !== 0);
}
