/**
 * Whether this kernel has Landlock, and which ABI: landlock_create_ruleset(NULL, 0,
 * LANDLOCK_CREATE_RULESET_VERSION), judged by its result and errno (never uname).
 */
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';
import { LANDLOCK_CREATE_RULESET_VERSION } from './abi.js';

export interface LandlockProbe {
  readonly available: boolean;
  /** The Landlock ABI version (1, 2, ...), or null when unavailable. */
  readonly abi: number | null;
  /** errno name of the failed probe: ENOSYS (not built in), EOPNOTSUPP (disabled at boot). */
  readonly errno?: string;
  /** A sentence for `sb features` and error messages. */
  readonly detail: string;
}

const ENOSYS = 38;
const EOPNOTSUPP = 95;

let syscallFn: ((...args: unknown[]) => unknown) | null = null;

function rawSyscall(nr: number, a: bigint, b: bigint, c: bigint): [number, number] {
  if (!syscallFn) {
    const libc = koffi.load('libc.so.6');
    syscallFn = libc.func('long syscall(long nr, uint64_t a, uint64_t b, uint64_t c)');
  }
  const r = Number(syscallFn(nr, a, b, c));
  return [r, r < 0 ? koffi.errno() : 0];
}

/** Interpret the version probe's answer (separate so every errno case is testable). */
export function interpretProbe(result: number, errno: number): LandlockProbe {
  if (result >= 1) return { available: true, abi: result, detail: `Landlock ABI ${result}` };
  if (errno === ENOSYS)
    return {
      available: false,
      abi: null,
      errno: 'ENOSYS',
      detail: 'Landlock is not built into this kernel (CONFIG_SECURITY_LANDLOCK, Linux 5.13+)',
    };
  if (errno === EOPNOTSUPP)
    return {
      available: false,
      abi: null,
      errno: 'EOPNOTSUPP',
      detail: 'Landlock is built in but not enabled at boot (add landlock to the lsm= kernel parameter)',
    };
  const name = Object.entries(koffi.os.errno).find(([, v]) => v === errno)?.[0] ?? `errno ${errno}`;
  return {
    available: false,
    abi: null,
    errno: name,
    detail: `the Landlock version probe failed unexpectedly (${name}, result ${result})`,
  };
}

let cached: LandlockProbe | null = null;

/** Probe once per process (the answer cannot change while the kernel runs). */
export function probeLandlock(): LandlockProbe {
  if (cached) return cached;
  const nr = syscallByName(nativeArch(), 'landlock_create_ruleset')?.nr;
  if (nr === undefined) cached = interpretProbe(-1, ENOSYS);
  else {
    const [r, e] = rawSyscall(nr, 0n, 0n, BigInt(LANDLOCK_CREATE_RULESET_VERSION));
    cached = interpretProbe(r, e);
  }
  return cached;
}
