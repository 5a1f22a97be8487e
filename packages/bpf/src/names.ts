/**
 * Architecture, syscall and errno names for the text form, from @sb/syscalls.
 * One place so the assembler and the disassembler resolve names identically
 * (which is what makes disassembly reassemble to the same bytes).
 */
import {
  type Arch,
  archByAudit,
  arches,
  errnoNumber as errnoByName,
  getArch,
  nativeArch,
  suggest,
  syscallByName,
  syscallByNumber,
  syscalls,
} from '@sb/syscalls';

/** The architecture called `name` (canonical name or alias); throws naming the known ones when there is none. */
export function lookupArch(name: string): Arch {
  return getArch(name);
}

/**
 * The ABI an AUDIT_ARCH value stands for. Where ABIs share one (x86_64 and x32)
 * the one without a syscall-number bit: x32 is told apart by its numbers.
 */
export function archByAuditValue(value: number): Arch | undefined {
  const all = archByAudit(value >>> 0);
  return all.find((a) => a.syscallBit === 0) ?? all[0];
}

let archConstants: Map<string, number> | undefined;

/** AUDIT_ARCH_X86_64 / ARCH_X86_64 (upper case, so no syscall name can collide) -> the AUDIT_ARCH value. */
export function archConstant(name: string): number | undefined {
  if (archConstants === undefined) {
    archConstants = new Map();
    for (const a of arches()) {
      const full = a.auditArchName.toUpperCase();
      archConstants.set(full, a.auditArch >>> 0);
      if (full.startsWith('AUDIT_')) archConstants.set(full.slice('AUDIT_'.length), a.auditArch >>> 0);
    }
  }
  return archConstants.get(name);
}

/** The canonical spelling of an AUDIT_ARCH value, when an architecture has it. */
export function archConstantName(value: number): string | undefined {
  return archByAuditValue(value)?.auditArchName;
}

export function syscallNumber(arch: Arch, name: string): number | undefined {
  return syscallByName(arch, name)?.nr;
}

/** A syscall name that resolves back to exactly `nr` on `arch`, if there is one. */
export function syscallName(arch: Arch, nr: number): string | undefined {
  const s = syscallByNumber(arch, nr);
  if (s === undefined) return undefined;
  return syscallByName(arch, s.name)?.nr === nr ? s.name : undefined;
}

/** EACCES -> 13 on `arch` (errno numbers differ on alpha, mips, parisc, sparc); the host's ABI when none is given. */
export function errnoNumber(name: string, arch?: Arch): number | undefined {
  return errnoByName(arch ?? nativeArch(), name);
}

/** The closest syscall name on `arch`, for "did you mean" hints. */
export function suggestSyscall(arch: Arch, name: string): string | undefined {
  return suggest(
    name,
    syscalls(arch).map((s) => s.name),
  );
}
