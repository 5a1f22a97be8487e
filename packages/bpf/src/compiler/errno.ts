import { constants } from 'node:os';

/**
 * errno name -> number, with the host's numbering (Node's os.constants.errno). On Linux
 * that is asm-generic's, shared by x86, arm, aarch64, riscv, s390, ...; mips, alpha,
 * sparc and parisc number some errnos differently: write numbers for those.
 */
export function errnoNumber(name: string): number | undefined {
  const table = constants.errno as Readonly<Record<string, number>>;
  const n = table[name.toUpperCase()];
  return typeof n === 'number' ? n : undefined;
}

/** errno number -> name (host numbering), for messages and the OCI exporter. */
export function errnoName(n: number): string | undefined {
  for (const [name, v] of Object.entries(constants.errno as Readonly<Record<string, number>>)) {
    if (v === n) return name;
  }
  return undefined;
}
