/**
 * Landlock ABI version: landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION).
 * A number (1 = 5.13, 2 = 5.19, 3 = 6.2, 4 = 6.7, 5 = 6.10, 6 = 6.12), or the errno name:
 * ENOSYS where the kernel lacks it, EOPNOTSUPP where it is built but not enabled (lsm=).
 */
import { syscallByName } from '@sb/syscalls';
import { sys } from '../libc.js';

const LANDLOCK_CREATE_RULESET_VERSION = 1;
const NAMES: Record<number, string> = { 38: 'ENOSYS', 95: 'EOPNOTSUPP' };

export function probeLandlock(): Record<string, number | string> {
  const nr = syscallByName('x86_64', 'landlock_create_ruleset')?.nr;
  if (nr === undefined) throw new Error('@sb/syscalls has no x86_64 landlock_create_ruleset');
  const r = sys(nr, 0, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return { 'landlock.abi': r.ret >= 0 ? r.ret : (NAMES[r.errno] ?? `errno ${r.errno}`) };
}
