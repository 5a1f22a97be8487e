import { createRequire } from 'node:module';
import { nativeArch, syscallByName } from '@sb/syscalls';

/**
 * The few libc entry points the loader needs, through koffi. Loaded on first use so that
 * importing @sb/bpf never needs a native module.
 */
interface Koffi {
  load(path: string): { func(decl: string): (...args: unknown[]) => number | bigint };
  errno(): number;
  struct(name: string, fields: Record<string, string>): unknown;
}

export interface Libc {
  /** syscall(2); returns -1 and sets errno on failure. Arguments are typed pairs for koffi's variadic call. */
  syscall(nr: number, ...typedArgs: unknown[]): number;
  /** prctl(2) with integer arguments. */
  prctl(option: number, a2: number, a3?: number): number;
  /** prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog). */
  prctlFilter(option: number, mode: number, fprog: SockFprog): number;
  errno(): number;
  /** Native syscall number of `name`. */
  nr(name: string): number;
}

/** struct sock_fprog as koffi marshals it ('sb_sock_fprog *' in a variadic call). */
export interface SockFprog {
  len: number;
  filter: Buffer;
}
export const SOCK_FPROG_PTR = 'sb_sock_fprog *';

let cached: Libc | undefined;

export function libc(): Libc {
  if (cached) return cached;
  if (process.platform !== 'linux') throw new Error('seccomp is Linux-only');
  const require = createRequire(import.meta.url);
  const koffi = require('koffi') as Koffi;
  const lib = koffi.load('libc.so.6');
  koffi.struct('sb_sock_fprog', { len: 'uint16', filter: 'void *' });
  const syscall = lib.func('long syscall(long, ...)');
  const prctl = lib.func('int prctl(int, ...)');
  const arch = nativeArch().name;
  cached = {
    syscall: (nr, ...typedArgs) => Number(syscall(nr, ...typedArgs)),
    prctl: (option, a2, a3 = 0) =>
      Number(prctl(option, 'unsigned long', a2, 'unsigned long', a3, 'unsigned long', 0, 'unsigned long', 0)),
    prctlFilter: (option, mode, fprog) => Number(prctl(option, 'unsigned long', mode, SOCK_FPROG_PTR, fprog)),
    errno: () => koffi.errno(),
    nr: (name) => {
      const s = syscallByName(arch, name);
      if (!s) throw new Error(`${name} has no number on ${arch}`);
      return s.nr;
    },
  };
  return cached;
}
