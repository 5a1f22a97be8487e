/**
 * Kernel probes the other packages do not make: namespaces (clone() with
 * CLONE_NEW* running libc's _exit in the child: no JavaScript runs there),
 * Landlock's ABI version and a few newer syscalls, each judged by errno.
 */
import { existsSync } from 'node:fs';
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const syscallRaw = libc.func(
  'long syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)',
);
const cloneRaw = libc.func('int clone(void *fn, void *stack, int flags, void *arg)');
const waitpidRaw = libc.func('int waitpid(int pid, void *status, int options)');
const mallocRaw = libc.func('void *malloc(size_t size)');
const freeRaw = libc.func('void free(void *ptr)');
const closeRaw = libc.func('int close(int fd)');
const exitAddress: bigint = koffi.address(libc.symbol('_exit'));

const ENOSYS = 38;
const SIGCHLD = 17;
const WALL = 0x40000000;

export const NAMESPACE_FLAGS = {
  user: 0x10000000,
  mount: 0x00020000,
  pid: 0x20000000,
  net: 0x40000000,
  ipc: 0x08000000,
  uts: 0x04000000,
  cgroup: 0x02000000,
} as const;
export type NamespaceName = keyof typeof NAMESPACE_FLAGS | 'time';

export interface Probe {
  readonly available: boolean;
  /** errno name of the failed probe, when it failed. */
  readonly errno?: string;
  readonly detail?: string;
}

function errnoName(n: number): string {
  for (const [name, v] of Object.entries(koffi.os.errno)) if (v === n) return name;
  return `errno ${n}`;
}

function nr(name: string): number | undefined {
  return syscallByName(nativeArch(), name)?.nr;
}

/** Calls a syscall by name with integer arguments; returns [result, errno]. */
function sys(name: string, ...args: (number | bigint)[]): [number, number] {
  const n = nr(name);
  if (n === undefined) return [-1, ENOSYS];
  const a = [...args.map((x) => BigInt(x)), 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6);
  const r = Number(syscallRaw(n, a[0], a[1], a[2], a[3], a[4], a[5]));
  return [r, r < 0 ? koffi.errno() : 0];
}

/** A new child in the namespaces of `flags` that exits at once; whether the kernel allowed it. */
export function probeNamespace(flags: number): Probe {
  const size = 64 * 1024;
  const stack = mallocRaw(size);
  if (stack === null) return { available: false, errno: 'ENOMEM' };
  try {
    const top = (koffi.address(stack) + BigInt(size)) & ~15n;
    const pid = cloneRaw(exitAddress, top, flags | SIGCHLD, 0n) as number;
    if (pid < 0) return { available: false, errno: errnoName(koffi.errno()) };
    const status = new Int32Array(1);
    // Our own child, by pid: libuv's children are never touched.
    while ((waitpidRaw(pid, status, WALL) as number) < 0 && koffi.errno() === 4) {
      // EINTR: wait again.
    }
    const code = (status[0]! >> 8) & 0xff;
    return code === 0 ? { available: true } : { available: false, detail: `child exited with ${code}` };
  } finally {
    freeRaw(stack);
  }
}

export function probeNamespaces(): Record<NamespaceName, Probe> {
  // Unprivileged, every other namespace needs a user namespace around it.
  const extra = process.geteuid?.() === 0 ? 0 : NAMESPACE_FLAGS.user;
  const out = {} as Record<NamespaceName, Probe>;
  for (const [name, flag] of Object.entries(NAMESPACE_FLAGS) as [keyof typeof NAMESPACE_FLAGS, number][]) {
    out[name] = probeNamespace(name === 'user' ? flag : flag | extra);
  }
  // CLONE_NEWTIME shares its bit with CSIGNAL: clone() cannot ask for it, only unshare/clone3.
  out.time = existsSync('/proc/self/ns/time')
    ? { available: true, detail: 'from /proc/self/ns/time' }
    : { available: false, errno: 'ENOENT', detail: 'no /proc/self/ns/time' };
  return out;
}

export interface LandlockProbe extends Probe {
  /** The Landlock ABI version (1, 2, ...), or null. */
  readonly abi: number | null;
}

export function probeLandlock(): LandlockProbe {
  const LANDLOCK_CREATE_RULESET_VERSION = 1;
  const [r, e] = sys('landlock_create_ruleset', 0, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (r >= 0) return { available: true, abi: r };
  // EOPNOTSUPP: built in but disabled at boot (lsm=).
  return { available: false, abi: null, errno: errnoName(e) };
}

/** A syscall that exists answers a bad argument with EINVAL/EBADF/EFAULT, not ENOSYS. */
function exists(name: string, ...args: (number | bigint)[]): Probe {
  const [r, e] = sys(name, ...args);
  if (r >= 0 || e !== ENOSYS)
    return e && r < 0 ? { available: true, detail: `probe answered ${errnoName(e)}` } : { available: true };
  return { available: false, errno: errnoName(e) };
}

export function probeMisc(): Record<string, Probe> {
  const pidfd = (() => {
    const [fd, e] = sys('pidfd_open', process.pid, 0);
    if (fd >= 0) {
      closeRaw(fd);
      return { available: true };
    }
    return { available: false, errno: errnoName(e) };
  })();
  return {
    pidfd_open: pidfd,
    pidfd_getfd: exists('pidfd_getfd', -1 >>> 0, 0, 0),
    openat2: exists('openat2', -1 >>> 0, 0, 0, 0),
    close_range: exists('close_range', 0xffffffff, 0, 0),
    clone3: exists('clone3', 0, 0),
  };
}
