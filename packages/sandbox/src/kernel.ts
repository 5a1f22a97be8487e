/**
 * Kernel probes the other packages do not make: Landlock's ABI version and a few
 * newer syscalls, each judged by errno. Namespace probes live in @sb/ns.
 */
import type { Probe } from '@sb/ns';
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const syscallRaw = libc.func(
  'long syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)',
);
const closeRaw = libc.func('int close(int fd)');

const ENOSYS = 38;

export {
  NAMESPACE_FLAGS,
  type NamespaceName,
  type Probe,
  probeNamespace,
  probeNamespaces,
  type UserNamespacePolicy,
  userNamespacePolicy,
} from '@sb/ns';

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

/** Landlock's probe is @sb/landlock's (one probe, one answer). */
export { type LandlockProbe, probeLandlock } from '@sb/landlock';

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
