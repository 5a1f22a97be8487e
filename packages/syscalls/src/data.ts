/**
 * Loads the generated tables (../data/*.json, written by scripts/generate.ts).
 * Read once, on first use; the same files serve src/ (tests) and dist/.
 */
import { readFileSync } from 'node:fs';
import type { Arch, ArgKind, SyscallGroup } from './types.js';

/** [name, type, kind] */
export type ArgRow = [string, string, ArgKind];
/** [name, nr, implemented (0|1), since, index into argLists, or null when the arguments are unknown] */
export type SyscallRow = [string, number, 0 | 1, string | null, number | null];
/** [name, number, aliasOf, description] */
export type ErrnoRow = [string, number, string | null, string | null];
/** [name, number, aliasOf] */
export type SignalRow = [string, number, string | null];

const cache = new Map<string, unknown>();

function load<T>(file: string): T {
  let v = cache.get(file);
  if (v === undefined) {
    const url = new URL(`../data/${file}`, import.meta.url);
    v = JSON.parse(readFileSync(url, 'utf8')) as T;
    cache.set(file, v);
  }
  return v as T;
}

/** A per-ABI table; the caller has checked the ABI's name against arches.json. */
function perAbi<T>(prefix: string, abi: string): T {
  try {
    return load<T>(`${prefix}.${abi}.json`);
  } catch (e) {
    throw new Error(
      `@sb/syscalls: no ${prefix} table for ${abi} (data/ is out of date): ${(e as Error).message}`,
    );
  }
}

export const archData = (): Arch[] => load<Arch[]>('arches.json');
/** Argument lists, shared by every ABI's table (SyscallRow's last field indexes them). */
export const syscallArgLists = (): ArgRow[][] => load('syscall-args.json');
export const syscallRows = (abi: string): SyscallRow[] => perAbi('syscalls', abi);
export const errnoRows = (abi: string): ErrnoRow[] => perAbi('errno', abi);
export const signalData = (): Record<string, SignalRow[]> => load('signals.json');
export const groupData = (): SyscallGroup[] => load('groups.json');
