/** Comparison of our syscall numbers with another table (kernel headers, libseccomp). */

export interface Comparison {
  arch: string;
  /** Present in both with different numbers: always a failure. */
  mismatches: { name: string; ours: number; theirs: number }[];
  /** The other table numbers it, ours does not have the name on this ABI. */
  onlyTheirs: { name: string; nr: number }[];
  /** Ours has it, the other table does not (older table, or a pseudo-number meaning "absent"). */
  onlyOurs: string[];
  /** Names compared in both. */
  agreed: number;
}

/** `theirs` maps a name to its number, or to null when the other side says "not on this ABI". */
export function compareNumbers(
  arch: string,
  ours: ReadonlyMap<string, number>,
  theirs: ReadonlyMap<string, number | null>,
): Comparison {
  const c: Comparison = { arch, mismatches: [], onlyTheirs: [], onlyOurs: [], agreed: 0 };
  for (const [name, nr] of theirs) {
    const mine = ours.get(name);
    if (nr === null) {
      if (mine !== undefined) c.onlyOurs.push(name);
    } else if (mine === undefined) c.onlyTheirs.push({ name, nr });
    else if (mine !== nr) c.mismatches.push({ name, ours: mine, theirs: nr });
    else c.agreed++;
  }
  for (const name of ours.keys()) if (!theirs.has(name)) c.onlyOurs.push(name);
  c.onlyOurs.sort();
  return c;
}

/**
 * `#define __NR_name N` lines of an asm/unistd_*.h header; x32's are written
 * `(__X32_SYSCALL_BIT + N)`.
 */
export function parseUnistd(text: string, x32Bit = 0x40000000): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^#define\s+__NR_(\w+)\s+(.+?)\s*$/gm)) {
    const body = m[2]!;
    const plain = /^(\d+)$/.exec(body);
    const x32 = /^\(__X32_SYSCALL_BIT\s*\+\s*(\d+)\)$/.exec(body);
    if (plain) out.set(m[1]!, Number(plain[1]));
    else if (x32) out.set(m[1]!, (x32Bit + Number(x32[1])) >>> 0);
    else throw new Error(`unistd header: cannot read __NR_${m[1]} = ${body}`);
  }
  return out;
}

export function describeComparison(c: Comparison): string {
  return [
    `${c.arch}: ${c.agreed} agree`,
    c.mismatches.length
      ? `MISMATCH ${c.mismatches.map((m) => `${m.name} ours=${m.ours} theirs=${m.theirs}`).join(', ')}`
      : '',
    c.onlyTheirs.length ? `only theirs: ${c.onlyTheirs.map((x) => `${x.name}=${x.nr}`).join(' ')}` : '',
    c.onlyOurs.length ? `only ours: ${c.onlyOurs.join(' ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
