/** Capability names and the steps that drop every capability but the kept ones. */
import { CAPABILITIES } from './caps.generated.js';
import {
  ERRNO,
  LINUX_CAPABILITY_VERSION_3,
  PR_CAP_AMBIENT,
  PR_CAP_AMBIENT_CLEAR_ALL,
  PR_CAP_AMBIENT_RAISE,
  PR_CAPBSET_DROP,
} from './constants.js';
import { bytes, int, type Steps } from './steps.js';

export { CAPABILITIES };
export type CapabilityName = keyof typeof CAPABILITIES;

/** CAP_X, cap_x or X -> CAP_X; null when the name is unknown. */
export function capabilityNumber(name: string): number | null {
  const upper = name.toUpperCase();
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  return full in CAPABILITIES ? CAPABILITIES[full as CapabilityName] : null;
}

/**
 * Bounding set, ambient, inheritable, permitted and effective all end up holding
 * exactly `keep`; for a program that is not uid 0 inside, kept capabilities are
 * raised as ambient so they survive execve.
 */
export function dropCapabilities(
  s: Steps,
  keep: ReadonlySet<number>,
  lastCap: number,
  rootInside: boolean,
): void {
  // EINVAL: a kernel before 4.3 has no ambient set, so there is nothing to clear.
  s.sys('clear ambient capabilities', 'prctl', [PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0n, 0n, 0n], {
    okErrnos: [ERRNO.EINVAL],
  });
  for (let cap = 0; cap <= lastCap; cap++) {
    if (keep.has(cap)) continue;
    s.sys(`drop capability ${cap} from the bounding set`, 'prctl', [PR_CAPBSET_DROP, int(cap), 0n, 0n, 0n]);
  }
  const header = new DataView(new ArrayBuffer(8));
  header.setUint32(0, LINUX_CAPABILITY_VERSION_3, true);
  const data = new DataView(new ArrayBuffer(24));
  let lo = 0;
  let hi = 0;
  for (const cap of keep) {
    if (cap < 32) lo |= 1 << cap;
    else hi |= 1 << (cap - 32);
  }
  for (const [i, word] of [lo, hi].entries()) {
    // struct __user_cap_data_struct { effective, permitted, inheritable } per 32 capabilities.
    for (let f = 0; f < 3; f++) data.setUint32(i * 12 + f * 4, word >>> 0, true);
  }
  s.sys('capset', 'capset', [bytes(new Uint8Array(header.buffer)), bytes(new Uint8Array(data.buffer))]);
  if (rootInside) return;
  for (const cap of keep) {
    s.sys(`raise ambient capability ${cap}`, 'prctl', [
      PR_CAP_AMBIENT,
      PR_CAP_AMBIENT_RAISE,
      int(cap),
      0n,
      0n,
    ]);
  }
}
