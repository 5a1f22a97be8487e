/** Parsers for the kernel's syscall tables (*.tbl) and the build files that select their rows. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchSpec } from './arch-specs.js';

export interface TblRow {
  nr: number;
  abi: string;
  name: string;
  /** Entry point in the chosen column, or null when the row has none ('-', empty). */
  entry: string | null;
}

export interface NumberedCall {
  name: string;
  nr: number;
  entry: string | null;
  /** False when the kernel reserves the number but implements nothing (sys_ni_syscall or no entry). */
  implemented: boolean;
}

/** Parses a .tbl file: `<nr> <abi> <name> [<entry> [<compat-entry>]]`, '#' comments. */
export function parseTbl(
  text: string,
  file: string,
): { nr: number; abi: string; name: string; cols: string[] }[] {
  const rows: { nr: number; abi: string; name: string; cols: string[] }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const cols = line.split(/\s+/);
    const [nrText, abi, name] = cols;
    if (nrText === undefined || abi === undefined || name === undefined || !/^\d+$/.test(nrText)) {
      throw new Error(`${file}:${i + 1}: cannot parse table row: ${raw}`);
    }
    rows.push({ nr: Number(nrText), abi, name, cols });
  });
  return rows;
}

/** Extra <abi> values a generic-table arch adds (arch/<dir>/kernel/Makefile.syscalls). */
export function makefileAbis(root: string, spec: ArchSpec): string[] {
  const file = join(root, 'arch', spec.archDir, 'kernel', 'Makefile.syscalls');
  if (!existsSync(file)) return [];
  const key = `syscall_abis_${spec.bits}`;
  const out: string[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = new RegExp(`^${key}\\s*\\+?=\\s*(.*)$`).exec(line.trim());
    if (m?.[1]) out.push(...m[1].split(/\s+/).filter(Boolean));
  }
  return out;
}

/** The numbered calls of one ABI, in table order, numbers including base and bit. */
export function archCalls(sourceDir: string, spec: ArchSpec): NumberedCall[] {
  const root = join(sourceDir, spec.tree);
  const file = join(root, spec.table);
  const abis = new Set([...spec.abis, ...(spec.generic ? makefileAbis(root, spec) : [])]);
  const col = (spec.entryColumn ?? 4) - 1;
  const byName = new Map<string, NumberedCall>();
  for (const row of parseTbl(readFileSync(file, 'utf8'), file)) {
    if (!abis.has(row.abi)) continue;
    const raw = row.cols[col];
    // '-' or a missing entry: the number is reserved on this ABI but nothing implements it.
    const entry = raw === undefined || raw === '-' ? null : raw;
    const nr = (row.nr + (spec.syscallBase ?? 0)) | (spec.syscallBit ?? 0);
    if (byName.has(row.name)) throw new Error(`${file}: ${row.name} listed twice for ${spec.name}`);
    byName.set(row.name, {
      name: row.name,
      nr: nr >>> 0,
      entry,
      implemented: entry !== null && entry !== 'sys_ni_syscall',
    });
  }
  return [...byName.values()].sort((a, b) => a.nr - b.nr);
}

/** ARM's private syscalls (__ARM_NR_*, 0x0f0000 + n) from arch/arm/include/uapi/asm/unistd.h. */
export function armPrivateCalls(root: string): NumberedCall[] {
  const text = readFileSync(join(root, 'arch/arm/include/uapi/asm/unistd.h'), 'utf8');
  const base = /#define\s+__ARM_NR_BASE\s+\(__NR_SYSCALL_BASE\s*\+\s*(0x[0-9a-f]+)\)/i.exec(text);
  if (!base?.[1]) throw new Error('arm unistd.h: __ARM_NR_BASE not found');
  const out: NumberedCall[] = [];
  for (const m of text.matchAll(/#define\s+__ARM_NR_(\w+)\s+\(__ARM_NR_BASE\s*\+\s*(\d+)\)/g)) {
    const name = m[1]!;
    out.push({ name, nr: Number(base[1]) + Number(m[2]), entry: `arm_private_${name}`, implemented: true });
  }
  return out;
}
