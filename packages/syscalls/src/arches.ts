/** Architectures (ABIs): lookup by name, alias and AUDIT_ARCH value. */
import { endianness } from 'node:os';
import { archData } from './data.js';
import { UnknownArchError } from './errors.js';
import { suggest } from './suggest.js';
import type { Arch } from './types.js';

let all: readonly Arch[] | undefined;
let byName: Map<string, Arch> | undefined;

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Every ABI this package describes, in a stable order (x86_64, i386, x32, aarch64, arm, riscv64, ...). */
export function arches(): readonly Arch[] {
  all ??= deepFreeze(archData());
  return all;
}

function index(): Map<string, Arch> {
  if (!byName) {
    byName = new Map();
    for (const a of arches()) {
      for (const n of [a.name, ...a.aliases]) {
        const key = n.toLowerCase();
        if (byName.has(key)) throw new Error(`@sb/syscalls: architecture name '${n}' is ambiguous`);
        byName.set(key, a);
      }
    }
  }
  return byName;
}

/** The ABI with this canonical name or alias (case-insensitive), or undefined. */
export function findArch(name: string): Arch | undefined {
  return index().get(name.trim().toLowerCase());
}

/** The ABI with this canonical name or alias; throws UnknownArchError (with a suggestion) otherwise. */
export function getArch(name: string): Arch {
  const a = findArch(name);
  if (!a) {
    // Suggest the canonical name of the closest spelling ('x86-46' -> 'x86_64').
    const close = suggest(name, index().keys());
    throw new UnknownArchError(name, close === undefined ? undefined : index().get(close)?.name);
  }
  return a;
}

/** Accepts an Arch or a name, as the lookup functions do. */
export function toArch(arch: string | Arch): Arch {
  return typeof arch === 'string' ? getArch(arch) : getArch(arch.name);
}

/**
 * The ABIs that report this AUDIT_ARCH value in seccomp_data.arch, empty when
 * none does. More than one only where ABIs share a value: x86_64 and x32 (both
 * AUDIT_ARCH_X86_64; a filter tells them apart by the x32 syscall bit in the
 * number). The mips n32 ABIs have their own values (__AUDIT_ARCH_CONVENTION_MIPS64_N32).
 */
export function archByAudit(auditArch: number): readonly Arch[] {
  const v = auditArch >>> 0;
  return arches().filter((a) => a.auditArch === v);
}

/** Node's process.arch -> canonical ABI name. */
const NODE_ARCH: Record<string, string> = {
  x64: 'x86_64',
  ia32: 'i386',
  arm: 'arm',
  arm64: 'aarch64',
  riscv64: 'riscv64',
  loong64: 'loongarch64',
  s390x: 's390x',
  s390: 's390',
  mips: 'mips',
  mipsel: 'mipsel',
  mips64el: 'mipsel64',
  ppc: 'ppc',
};

/** The ABI this Node.js process runs (from process.arch; ppc64 is told apart by byte order). */
export function nativeArch(): Arch {
  const p = process.arch as string;
  if (p === 'ppc64') return getArch(endianness() === 'LE' ? 'ppc64le' : 'ppc64');
  const name = NODE_ARCH[p];
  if (!name) throw new UnknownArchError(p, undefined);
  return getArch(name);
}
