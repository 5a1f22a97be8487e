import { type Arch, expandGroup, getArch, syscalls } from '@sb/syscalls';
import { PolicyError } from './types.js';

/** What the compiler needs to know about one ABI. */
export interface ArchTarget {
  readonly name: string;
  readonly auditArch: number;
  readonly littleEndian: boolean;
  /**
   * Width of the syscall argument registers the kernel hands to the syscall. 32 on i386,
   * arm, mips o32, ...: there the syscall sees only the low halves, so the filter compares
   * only those. x32 and mips n32 pass 64-bit registers.
   */
  readonly argBits: 32 | 64;
  /** __X32_SYSCALL_BIT for x32 (numbers include it), else 0. */
  readonly syscallBit: number;
  readonly byName: ReadonlyMap<string, number>;
  readonly byNr: ReadonlyMap<number, string>;
}

const cache = new Map<string, ArchTarget>();

/** Resolves an ABI name or alias through @sb/syscalls. Throws PolicyError for unknown names. */
export function archTarget(name: string): ArchTarget {
  const hit = cache.get(name);
  if (hit) return hit;
  let arch: Arch | undefined;
  try {
    arch = getArch(name);
  } catch {
    arch = undefined;
  }
  if (!arch) throw new PolicyError(`unknown architecture "${name}"`);
  const byName = new Map<string, number>();
  const byNr = new Map<number, string>();
  for (const sc of syscalls(arch.name)) {
    byName.set(sc.name, sc.nr >>> 0);
    if (!byNr.has(sc.nr >>> 0)) byNr.set(sc.nr >>> 0, sc.name);
  }
  const wideRegisters = arch.bits === 64 || arch.syscallBit !== 0 || /n32$/.test(arch.name);
  const target: ArchTarget = {
    name: arch.name,
    auditArch: arch.auditArch >>> 0,
    littleEndian: arch.endian === 'little',
    argBits: wideRegisters ? 64 : 32,
    syscallBit: arch.syscallBit >>> 0,
    byName,
    byNr,
  };
  cache.set(name, target);
  cache.set(arch.name, target);
  return target;
}

/** Members of a syscall group ('@file-system'), nested groups expanded. */
export function groupMembers(group: string): readonly string[] {
  try {
    return expandGroup(group);
  } catch {
    throw new PolicyError(`unknown syscall group "${group}"`);
  }
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] ?? 0;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j] ?? 0;
      prev[j] = Math.min(up + 1, (prev[j - 1] ?? 0) + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length] ?? 0;
}

/** The closest known names to `name` over the given ABIs (at most 3). */
export function suggest(name: string, targets: readonly ArchTarget[]): string[] {
  const seen = new Set<string>();
  for (const t of targets) for (const n of t.byName.keys()) seen.add(n);
  return [...seen]
    .map((n) => [n, distance(name, n)] as const)
    .filter(([, d]) => d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([n]) => n);
}
