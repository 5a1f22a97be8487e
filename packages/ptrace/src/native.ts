/**
 * The libc calls the tracer needs, bound through koffi. Nothing here keeps state
 * except the bindings themselves; every call returns the raw result and callers
 * read `errno()` right after a failing call (koffi keeps errno per thread).
 */
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');

// Pointers and addresses travel as uint64 / bigint (or as a Buffer/TypedArray passed
// to a `void *` parameter, which koffi hands over without copying).
const ptraceRaw = libc.func('long ptrace(int req, int pid, uint64_t addr, uint64_t data)');
const ptraceBufRaw = libc.func('long ptrace(int req, int pid, uint64_t addr, void *data)');
const peekRaw = libc.func('int64_t ptrace(int req, int pid, uint64_t addr, uint64_t data)');
const waitpidRaw = libc.func('int waitpid(int pid, void *status, int options)');
const cloneRaw = libc.func('int clone(void *fn, void *stack, int flags, void *arg)');
const mallocRaw = libc.func('void *malloc(size_t size)');
const freeRaw = libc.func('void free(void *ptr)');
const killRaw = libc.func('int kill(int pid, int sig)');
const vmReadvRaw = libc.func(
  'intptr_t process_vm_readv(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
);
const vmWritevRaw = libc.func(
  'intptr_t process_vm_writev(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
);
const gettidRaw = libc.func('int gettid(void)');
const pipe2Raw = libc.func('int pipe2(void *fds, int flags)');
const closeRaw = libc.func('int close(int fd)');
const ioctlRaw = libc.func('int ioctl(int fd, unsigned long req, void *arg)');
const fcntlRaw = libc.func('int fcntl(int fd, int cmd, int arg)');
const mmapRaw = libc.func('void *mmap(void *addr, size_t len, int prot, int flags, int fd, intptr_t off)');
const mprotectRaw = libc.func('int mprotect(void *addr, size_t len, int prot)');
const munmapRaw = libc.func('int munmap(void *addr, size_t len)');
const sigmaskRaw = libc.func('int pthread_sigmask(int how, void *set, void *oldset)');
// syscall(2) for calls glibc 2.36 has no wrapper for (pidfd_open, pidfd_getfd).
const syscallRaw = libc.func('long syscall(long nr, long a, long b, long c)');

/** The address of `pause` in this process; the stub runs it (see launch.ts). */
export const pauseAddress: bigint = koffi.address(libc.symbol('pause'));

export function errno(): number {
  return koffi.errno();
}

export function setErrno(value: number): void {
  koffi.errno(value);
}

export function ptrace(req: number, pid: number, addr: bigint | number, data: bigint | number): number {
  return ptraceRaw(req, pid, addr, data) as number;
}

export function ptraceBuf(req: number, pid: number, addr: bigint | number, data: Uint8Array | null): number {
  return ptraceBufRaw(req, pid, addr, data) as number;
}

/** PTRACE_PEEKDATA/PEEKUSER: the word is the return value, so errno must be cleared first. */
export function ptracePeek(req: number, pid: number, addr: bigint): { value: bigint; errno: number } {
  koffi.errno(0);
  const v = peekRaw(req, pid, addr, 0) as number | bigint;
  const value = BigInt.asUintN(64, BigInt(v));
  return { value, errno: value === 0xffffffffffffffffn ? koffi.errno() : 0 };
}

export function waitpid(pid: number, status: Int32Array, options: number): number {
  return waitpidRaw(pid, status, options) as number;
}

export function clone(fn: bigint, stackTop: bigint, flags: number, arg: bigint): number {
  return cloneRaw(fn, stackTop, flags, arg) as number;
}

export function kill(pid: number, sig: number): number {
  return killRaw(pid, sig) as number;
}

/** A raw system call with up to three integer arguments; -1 and errno() on failure. */
export function syscall3(nr: number, a = 0, b = 0, c = 0): number {
  return Number(syscallRaw(nr, a, b, c));
}

/** fcntl(F_DUPFD_CLOEXEC): a second fd for the same open file, or -1 and errno(). */
export function dupCloexec(fd: number): number {
  const F_DUPFD_CLOEXEC = 1030;
  return fcntlRaw(fd, F_DUPFD_CLOEXEC, 0) as number;
}

export function ioctl(fd: number, request: number, arg: Uint8Array): number {
  return ioctlRaw(fd, request, arg) as number;
}

export function closeFd(fd: number): number {
  return closeRaw(fd) as number;
}

export function gettid(): number {
  return gettidRaw() as number;
}

/** Returns [readFd, writeFd] or throws. */
export function pipe2(flags: number): [number, number] {
  const fds = new Int32Array(2);
  if ((pipe2Raw(fds, flags) as number) !== 0) throw errnoError('pipe2', koffi.errno());
  return [fds[0]!, fds[1]!];
}

export function processVmReadv(
  pid: number,
  localIov: Uint8Array,
  remoteIov: Uint8Array,
  count: number,
): number {
  return Number(vmReadvRaw(pid, localIov, count, remoteIov, count, 0));
}

export function processVmWritev(
  pid: number,
  localIov: Uint8Array,
  remoteIov: Uint8Array,
  count: number,
): number {
  return Number(vmWritevRaw(pid, localIov, count, remoteIov, count, 0));
}

const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;
const MAP_PRIVATE = 2;
const MAP_ANONYMOUS = 0x20;
const SIG_SETMASK = 2;

/**
 * A private page holding `code`, made read+execute (never writable and executable at
 * once), or the errno of the step that failed: a system that forbids executable
 * anonymous memory (SELinux execmem, PaX MPROTECT) refuses the mprotect.
 */
export function mapCode(code: Uint8Array): { address: bigint } | { errno: number; step: string } {
  const len = 4096;
  if (code.length > len) throw new RangeError(`${code.length} bytes of code do not fit a page`);
  const ptr = mmapRaw(null, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const address = ptr === null ? -1n : BigInt.asUintN(64, BigInt(koffi.address(ptr)));
  if (address === 0xffffffffffffffffn) return { errno: koffi.errno(), step: 'mmap' };
  new Uint8Array(koffi.view(ptr, len)).set(code);
  if ((mprotectRaw(ptr, len, PROT_READ | PROT_EXEC) as number) !== 0) {
    const e = koffi.errno();
    munmapRaw(ptr, len);
    return { errno: e, step: 'mprotect(PROT_EXEC)' };
  }
  return { address };
}

/**
 * Runs `fn` with every signal this thread may block blocked (glibc keeps its two internal
 * ones), then restores the mask: a child cloned inside starts with them blocked.
 */
export function withSignalsBlocked<T>(fn: () => T): T {
  const all = new Uint8Array(128).fill(0xff);
  const old = new Uint8Array(128);
  const e = sigmaskRaw(SIG_SETMASK, all, old) as number;
  if (e !== 0) throw errnoError('pthread_sigmask', e);
  try {
    return fn();
  } finally {
    sigmaskRaw(SIG_SETMASK, old, null);
  }
}

/** Native memory that is never moved by the GC: its address can be written into tracee registers. */
export interface NativeBlock {
  readonly address: bigint;
  readonly bytes: Uint8Array;
  free(): void;
}

export function allocNative(size: number): NativeBlock {
  const ptr = mallocRaw(size);
  if (ptr === null) throw errnoError('malloc', koffi.errno());
  const address = koffi.address(ptr);
  const bytes = new Uint8Array(koffi.view(ptr, size));
  let freed = false;
  return {
    address,
    bytes,
    free() {
      if (!freed) freeRaw(ptr);
      freed = true;
    },
  };
}

/** Error carrying the errno of a failed system call. */
export class ErrnoError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  constructor(syscall: string, errnum: number, detail?: string) {
    const code = errnoName(errnum);
    super(`${syscall}${detail ? ` (${detail})` : ''} failed: ${code} (${errnum})`);
    this.name = 'ErrnoError';
    this.errno = errnum;
    this.code = code;
    this.syscall = syscall;
  }
}

export function errnoError(syscall: string, errnum: number, detail?: string): ErrnoError {
  return new ErrnoError(syscall, errnum, detail);
}

const ERRNO_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(koffi.os.errno).map(([name, n]) => [n, name]),
);

export function errnoName(n: number): string {
  return ERRNO_NAMES[n] ?? `errno ${n}`;
}

export function errnoNumber(name: string): number | undefined {
  return koffi.os.errno[name];
}
