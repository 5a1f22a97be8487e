/**
 * The libc and raw system calls the supervisor needs, through koffi. Calls return
 * the raw result; read `errno()` right after a failing one (koffi keeps errno per
 * thread). Credential calls are raw syscalls on purpose: glibc broadcasts
 * setgroups() to every thread of the process, the kernel call changes only the
 * calling thread, which is what the supervisor thread wants.
 */
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

const ioctlRaw = libc.func('int ioctl(int fd, unsigned long req, void *arg)');
const sigmaskRaw = libc.func('int pthread_sigmask(int how, void *set, void *oldset)');
const sys6 = libc.func(
  'long syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)',
);
const sysOpenat2 = libc.func('long syscall(long nr, int dirfd, void *path, void *how, size_t size)');
const sysPtr3 = libc.func('long syscall(long nr, uint64_t a, void *b, void *c)');
const sysAt = libc.func('long syscall(long nr, int dirfd, void *path, uint64_t arg)');
const sysPtr2 = libc.func('long syscall(long nr, void *a, void *b)');
const sysTwoAt = libc.func(
  'long syscall(long nr, int olddir, void *old, int newdir, void *new, uint64_t flags)',
);
const sysSymlinkat = libc.func('long syscall(long nr, void *target, int dirfd, void *path)');
// (dirfd, path, two integers): mknodat's mode and dev, faccessat2's mode and flags.
const sysAtTwo = libc.func('long syscall(long nr, int dirfd, void *path, uint64_t a, uint64_t b)');
const sysFchownat = libc.func(
  'long syscall(long nr, int dirfd, void *path, uint64_t uid, uint64_t gid, uint64_t flags)',
);
const ftruncateRaw = libc.func('int ftruncate(int fd, int64_t length)');
const sysFdBuf = libc.func('long syscall(long nr, int fd, void *buf)');
const setxattrRaw = libc.func(
  'int setxattr(const char *path, const char *name, void *value, size_t size, int flags)',
);
const removexattrRaw = libc.func('int removexattr(const char *path, const char *name)');
const getxattrRaw = libc.func(
  'intptr_t getxattr(const char *path, const char *name, void *value, size_t size)',
);
const listxattrRaw = libc.func('intptr_t listxattr(const char *path, void *list, size_t size)');
const sysFstatat = libc.func('long syscall(long nr, int dirfd, void *path, void *buf, uint64_t flags)');
const sysReadlinkat = libc.func('long syscall(long nr, int dirfd, void *path, void *buf, uint64_t size)');
const sysStatx = libc.func(
  'long syscall(long nr, int dirfd, void *path, uint64_t flags, uint64_t mask, void *buf)',
);
const pollRaw = libc.func('int poll(void *fds, unsigned long nfds, int timeout)');
const closeRaw = libc.func('int close(int fd)');
const writeRaw = libc.func('intptr_t write(int fd, void *buf, size_t n)');
const readRaw = libc.func('intptr_t read(int fd, void *buf, size_t n)');
const eventfdRaw = libc.func('int eventfd(unsigned int initval, int flags)');
const fcntlRaw = libc.func('int fcntl(int fd, int cmd, long arg)');
const killRaw = libc.func('int kill(int pid, int sig)');
const getpagesizeRaw = libc.func('int getpagesize(void)');
const connectRaw = libc.func('int connect(int fd, void *addr, uint32_t len)');
const bindRaw = libc.func('int bind(int fd, void *addr, uint32_t len)');
const getsockoptRaw = libc.func('int getsockopt(int fd, int level, int name, void *value, void *len)');
const vmReadvRaw = libc.func(
  'intptr_t process_vm_readv(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
);

const arch = nativeArch().name;
/** The byte order of the native ABI's structs. */
export const LITTLE_ENDIAN = nativeArch().endian === 'little';
function nr(name: string): number {
  const s = syscallByName(arch, name);
  if (!s) throw new Error(`${name} has no number on ${arch}`);
  return s.nr;
}
/** Numbers of the syscalls called raw here, or -1 where the ABI lacks them. */
function maybeNr(name: string): number {
  return syscallByName(arch, name)?.nr ?? -1;
}
const NR = {
  seccomp: maybeNr('seccomp'),
  prctl: nr('prctl'),
  ioctl: nr('ioctl'),
  pidfd_open: maybeNr('pidfd_open'),
  pidfd_getfd: maybeNr('pidfd_getfd'),
  pidfd_send_signal: maybeNr('pidfd_send_signal'),
  openat2: maybeNr('openat2'),
  setfsuid: nr('setfsuid'),
  setfsgid: nr('setfsgid'),
  setgroups: nr('setgroups'),
  umask: nr('umask'),
  unshare: nr('unshare'),
  capget: nr('capget'),
  capset: nr('capset'),
  gettid: nr('gettid'),
  faccessat2: maybeNr('faccessat2'),
  unlinkat: nr('unlinkat'),
  newfstatat: nr('newfstatat'),
  readlinkat: nr('readlinkat'),
  statx: maybeNr('statx'),
  mkdirat: nr('mkdirat'),
  symlinkat: nr('symlinkat'),
  mknodat: nr('mknodat'),
  linkat: nr('linkat'),
  renameat2: maybeNr('renameat2'),
  fchmodat: nr('fchmodat'),
  fchownat: nr('fchownat'),
  utimensat: nr('utimensat'),
  fstatfs: nr('fstatfs'),
  fchmodat2: maybeNr('fchmodat2'),
  setxattrat: maybeNr('setxattrat'),
  getxattrat: maybeNr('getxattrat'),
  listxattrat: maybeNr('listxattrat'),
  removexattrat: maybeNr('removexattrat'),
};

export function errno(): number {
  return koffi.errno();
}

export function ioctl(fd: number, req: number, arg: Uint8Array | null): number {
  return ioctlRaw(fd, req, arg) as number;
}

const SIG_SETMASK = 2;
const ALL_SIGNALS = new Uint8Array(128).fill(0xff);
const savedMask = new Uint8Array(128);

/**
 * ioctl with every signal this thread may block blocked (glibc keeps its two internal ones),
 * for a request that must not be interrupted; returns the result and its errno.
 */
export function ioctlUninterrupted(fd: number, req: number, arg: Uint8Array): { r: number; errno: number } {
  const e = sigmaskRaw(SIG_SETMASK, ALL_SIGNALS, savedMask) as number;
  if (e !== 0) return { r: -1, errno: e };
  try {
    const r = ioctlRaw(fd, req, arg) as number;
    return { r, errno: r < 0 ? koffi.errno() : 0 };
  } finally {
    sigmaskRaw(SIG_SETMASK, savedMask, null);
  }
}

function big(v: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(v));
}

/** A raw system call by number with integer arguments; -1 and errno() on failure. */
export function syscall(n: number, ...args: (number | bigint)[]): number {
  const a = [...args.map(big), 0n, 0n, 0n, 0n, 0n, 0n];
  return Number(sys6(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

export const nrs: Readonly<typeof NR> = NR;

let pageSizeValue: number | undefined;
/** The kernel's PAGE_SIZE (the limit of a struct copied from user memory, among others). */
export function pageSize(): number {
  pageSizeValue ??= getpagesizeRaw() as number;
  return pageSizeValue;
}

export function close(fd: number): number {
  return closeRaw(fd) as number;
}

export function poll(fds: Uint8Array, count: number, timeoutMs: number): number {
  return pollRaw(fds, count, timeoutMs) as number;
}

export function eventfd(flags: number): number {
  return eventfdRaw(0, flags) as number;
}

export function writeU64(fd: number, value: bigint): number {
  const b = new BigUint64Array([value]);
  return Number(writeRaw(fd, new Uint8Array(b.buffer), 8));
}

export function readU64(fd: number): number {
  const b = new Uint8Array(8);
  return Number(readRaw(fd, b, 8));
}

export function fcntl(fd: number, cmd: number, arg = 0): number {
  return fcntlRaw(fd, cmd, arg) as number;
}

/** connect(2) of our fd to a sockaddr given as bytes; -1 and errno(). */
export function connectFd(fd: number, addr: Uint8Array): number {
  return connectRaw(fd, addr, addr.length) as number;
}

/** bind(2) of our fd to a sockaddr given as bytes; -1 and errno(). */
export function bindFd(fd: number, addr: Uint8Array): number {
  return bindRaw(fd, addr, addr.length) as number;
}

/** getsockopt(2) into `value`; the length the kernel wrote, or null (errno()). */
export function getsockoptBytes(fd: number, level: number, name: number, value: Uint8Array): number | null {
  const len = new Uint32Array([value.length]);
  return (getsockoptRaw(fd, level, name, value, len) as number) === 0 ? (len[0] ?? 0) : null;
}

/** getsockopt(2) of an int option; the value, or null (errno()). */
export function getsockoptInt(fd: number, level: number, name: number): number | null {
  const value = new Uint8Array(4);
  return getsockoptBytes(fd, level, name, value) === null
    ? null
    : new DataView(value.buffer).getInt32(0, LITTLE_ENDIAN);
}

export function kill(pid: number, sig: number): number {
  return killRaw(pid, sig) as number;
}

export function gettid(): number {
  return syscall(NR.gettid);
}

/** openat2(dirfd, path, how, sizeof how); the fd, or -1 and errno(). */
export function openat2(dirfd: number, path: string | Uint8Array, how: Uint8Array): number {
  if (NR.openat2 < 0) {
    koffi.errno(38);
    return -1;
  }
  const p = Buffer.concat([typeof path === 'string' ? Buffer.from(path) : path, Buffer.of(0)]);
  return Number(sysOpenat2(NR.openat2, dirfd, p, how, how.length));
}

/** capget/capset on the calling thread (version 3: two 32-bit words per set). */
export function capget(data: Uint32Array): number {
  const header = new Uint32Array([0x20080522, 0]);
  return Number(sysPtr2(NR.capget, new Uint8Array(header.buffer), new Uint8Array(data.buffer)));
}

export function capset(data: Uint32Array): number {
  const header = new Uint32Array([0x20080522, 0]);
  return Number(sysPtr2(NR.capset, new Uint8Array(header.buffer), new Uint8Array(data.buffer)));
}

/** setgroups(2) for this thread only (raw: glibc would change every thread). */
export function setgroupsThread(groups: readonly number[]): number {
  const list = new Uint32Array(Math.max(groups.length, 1));
  list.set(groups);
  return Number(sysPtr3(NR.setgroups, BigInt(groups.length), new Uint8Array(list.buffer), null));
}

/**
 * process_vm_readv of one remote range into `into` (one iovec each side); the bytes
 * read (short at an unmapped page), or -1 and errno().
 */
export function readRemote(pid: number, addr: bigint, into: Uint8Array): number {
  const local = new BigUint64Array([koffi.address(into as unknown as Buffer) as bigint, BigInt(into.length)]);
  const remote = new BigUint64Array([addr, BigInt(into.length)]);
  return Number(vmReadvRaw(pid, new Uint8Array(local.buffer), 1, new Uint8Array(remote.buffer), 1, 0));
}

const cString = (path: string | Uint8Array): Buffer =>
  Buffer.concat([typeof path === 'string' ? Buffer.from(path) : path, Buffer.of(0)]);

/** renameat2 / linkat: (olddirfd, old, newdirfd, new, flags); -1 and errno() on failure. */
export function twoAtCall(
  name: 'renameat2' | 'linkat',
  olddir: number,
  old: Uint8Array,
  newdir: number,
  path: Uint8Array,
  flags: number,
): number {
  if (NR[name] < 0) {
    koffi.errno(38);
    return -1;
  }
  return Number(sysTwoAt(NR[name], olddir, cString(old), newdir, cString(path), BigInt(flags >>> 0)));
}

/** symlinkat(target, dirfd, path); -1 and errno() on failure. */
export function symlinkAt(target: Uint8Array, dirfd: number, path: Uint8Array): number {
  return Number(sysSymlinkat(NR.symlinkat, cString(target), dirfd, cString(path)));
}

/** mknodat(dirfd, path, mode, dev); -1 and errno() on failure. */
export function mknodAt(dirfd: number, path: Uint8Array, mode: number, dev: number): number {
  return Number(sysAtTwo(NR.mknodat, dirfd, cString(path), BigInt(mode >>> 0), BigInt(dev >>> 0)));
}

const AT_FDCWD = -100;

/** chmod through a path (here: our own /proc/self/fd/N of a pinned object); -1 and errno(). */
export function chmodPath(path: string, mode: number): number {
  return Number(sysAt(NR.fchmodat, AT_FDCWD, cString(path), BigInt(mode >>> 0)));
}

/** fchownat(fd, "", uid, gid, AT_EMPTY_PATH): works on O_PATH fds; -1 and errno(). */
export function chownFd(fd: number, uid: number, gid: number): number {
  return Number(
    sysFchownat(NR.fchownat, fd, EMPTY, BigInt(uid >>> 0), BigInt(gid >>> 0), BigInt(AT_EMPTY_PATH)),
  );
}

/** utimensat(AT_FDCWD, path, times, 0); `times` a native struct timespec[2], or null for now. */
export function utimensPath(path: string, times: Uint8Array | null): number {
  return Number(sysFstatat(NR.utimensat, AT_FDCWD, cString(path), times, 0n));
}

/** setxattr(2) on a path (following it: here our own /proc/self/fd/N); -1 and errno(). */
export function setxattrPath(path: string, name: Uint8Array, value: Uint8Array, flags: number): number {
  return setxattrRaw(
    cString(path),
    cString(name),
    value.length === 0 ? null : value,
    value.length,
    flags,
  ) as number;
}

export function removexattrPath(path: string, name: Uint8Array): number {
  return removexattrRaw(cString(path), cString(name)) as number;
}

/** getxattr(2) on a path (our own /proc/self/fd/N) into `value` (all of it; empty: the size only). */
export function getxattrPath(path: string, name: Uint8Array, value: Uint8Array): number {
  return Number(getxattrRaw(cString(path), cString(name), value.length === 0 ? null : value, value.length));
}

/** listxattr(2) on a path (our own /proc/self/fd/N) into `list` (empty: the size only). */
export function listxattrPath(path: string, list: Uint8Array): number {
  return Number(listxattrRaw(cString(path), list.length === 0 ? null : list, list.length));
}

/** faccessat2(fd, "", mode, AT_EMPTY_PATH | AT_EACCESS): access of an (O_PATH) fd with this thread's fs ids (5.8). */
export function accessFd(fd: number, mode: number): number {
  if (NR.faccessat2 < 0) {
    koffi.errno(38);
    return -1;
  }
  const AT_EACCESS = 0x200;
  return Number(sysAtTwo(NR.faccessat2, fd, EMPTY, BigInt(mode >>> 0), BigInt(AT_EMPTY_PATH | AT_EACCESS)));
}

/** fstatfs(2) of an (O_PATH) fd into `buf` (the native struct statfs). */
export function fstatfsFd(fd: number, buf: Uint8Array): number {
  return Number(sysFdBuf(NR.fstatfs, fd, buf));
}

export function ftruncate(fd: number, length: bigint): number {
  return ftruncateRaw(fd, length) as number;
}

/** unlinkat / mkdirat (and the like): (dirfd, path, one integer); -1 and errno() on failure. */
export function atCall(
  name: 'unlinkat' | 'mkdirat',
  dirfd: number,
  path: string | Uint8Array,
  arg: number,
): number {
  const p = Buffer.concat([typeof path === 'string' ? Buffer.from(path) : path, Buffer.of(0)]);
  return Number(sysAt(NR[name], dirfd, p, BigInt(arg)));
}

const EMPTY = Buffer.of(0);
const AT_EMPTY_PATH = 0x1000;

/** newfstatat(fd, "", buf, AT_EMPTY_PATH | flags): the native struct stat of an open (or O_PATH) fd. */
export function fstatFd(fd: number, buf: Uint8Array, flags: number): number {
  return Number(sysFstatat(NR.newfstatat, fd, EMPTY, buf, BigInt(AT_EMPTY_PATH | flags)));
}

/** statx(fd, "", AT_EMPTY_PATH | flags, mask, buf) (4.11). */
export function statxFd(fd: number, flags: number, mask: number, buf: Uint8Array): number {
  if (NR.statx < 0) {
    koffi.errno(38);
    return -1;
  }
  return Number(sysStatx(NR.statx, fd, EMPTY, BigInt(AT_EMPTY_PATH | flags), BigInt(mask >>> 0), buf));
}

/** readlinkat(fd, "", buf, buf.length) on an O_PATH|O_NOFOLLOW fd of a symlink (2.6.39). */
export function readlinkFd(fd: number, buf: Uint8Array): number {
  return Number(sysReadlinkat(NR.readlinkat, fd, EMPTY, buf, BigInt(buf.length)));
}
