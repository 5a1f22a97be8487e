/**
 * The libc calls the in-guest probes need, through koffi. Raw syscalls go through
 * libc's syscall(3) so that a call the kernel lacks reads as ENOSYS.
 */
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');

const syscall6 = lib.func('long syscall(long nr, long a, long b, long c, long d, long e, long f)');
// Pointers as uint64_t: the same registers on x86_64, and no koffi pointer objects to build.
const cloneFn = lib.func('int clone(uint64_t fn, uint64_t stack, int flags, uint64_t arg)');
const waitpidFn = lib.func('int waitpid(int pid, _Out_ int *status, int options)');
const closeFn = lib.func('int close(int fd)');
const mallocFn = lib.func('uint64_t malloc(size_t size)');
const freeFn = lib.func('void free(uint64_t ptr)');

/** The address of libc's `_exit`: a clone child started there exits at once with status 0 (its argument is NULL). */
const exitAddress = koffi.address(lib.symbol('_exit'));
/** libc's `unshare`: a clone child started there with FLAGS as its argument exits with unshare's result. */
const unshareAddress = koffi.address(lib.symbol('unshare'));

/** syscall(nr, a..f): the raw result and errno (0 on success). */
export function sys(nr: number, a = 0, b = 0, c = 0, d = 0, e = 0, f = 0): { ret: number; errno: number } {
  const ret = Number(syscall6(nr, a, b, c, d, e, f));
  return { ret, errno: ret === -1 ? koffi.errno() : 0 };
}

export function close(fd: number): void {
  closeFn(fd);
}

const SIGCHLD = 17;
const WALL = 0x40000000;
const STACK = 64 * 1024;

/**
 * clone(2) through glibc with FLAGS, the child running `_exit(0)` on a fresh stack, and
 * reaps it. Returns 0 when the child was created, else errno. No JavaScript runs in
 * the child: Node cannot survive a fork.
 */
export function cloneExit(flags: number): number {
  const r = cloneRun(exitAddress, flags, 0n);
  return r.errno;
}

/**
 * A plain child that calls unshare(FLAGS) and exits with its result: whether unshare
 * succeeded there. The child is single-threaded, so CLONE_NEWUSER works unprivileged,
 * and unshare rejects flags it does not know (clone(2) ignored them before clone3).
 */
export function cloneUnshare(flags: number): boolean {
  const r = cloneRun(unshareAddress, 0, BigInt(flags));
  if (r.errno !== 0) throw new Error(`clone failed: errno ${r.errno}`);
  return r.status === 0;
}

function cloneRun(fn: bigint, flags: number, arg: bigint): { errno: number; status: number } {
  const stack = BigInt(mallocFn(STACK));
  if (stack === 0n) throw new Error('malloc failed');
  try {
    const top = (stack + BigInt(STACK - 64)) & ~15n;
    const pid = cloneFn(fn, top, flags | SIGCHLD, arg);
    if (pid === -1) return { errno: koffi.errno(), status: -1 };
    const status = [0];
    for (;;) {
      const r = waitpidFn(pid, status, WALL);
      if (r === pid) break;
      if (r === -1 && koffi.errno() !== 4 /* EINTR */)
        throw new Error(`waitpid(${pid}) failed: errno ${koffi.errno()}`);
    }
    return { errno: 0, status: status[0]! };
  } finally {
    freeFn(stack);
  }
}
