/** Syscall lookups by ABI, name and number. */
import { arches, toArch } from './arches.js';
import { syscallArgLists, syscallRows } from './data.js';
import { UnknownSyscallError } from './errors.js';
import { groupsOf } from './groups.js';
import { suggest } from './suggest.js';
import type { Arch, Syscall } from './types.js';

interface Table {
  list: readonly Syscall[];
  byName: Map<string, Syscall>;
  byNr: Map<number, Syscall>;
}

const tables = new Map<string, Table>();
let allNames: readonly string[] | undefined;

function table(arch: string | Arch): Table {
  const a = toArch(arch);
  let t = tables.get(a.name);
  if (!t) {
    const argLists = syscallArgLists();
    const rows = syscallRows(a.name);
    const list = rows.map(([name, nr, implemented, since, argsAt]): Syscall => {
      const args = argsAt === null ? null : argLists[argsAt];
      if (args === undefined)
        throw new Error(`@sb/syscalls: ${a.name} ${name}: bad argument list index ${argsAt}`);
      return Object.freeze({
        name,
        nr,
        arch: a.name,
        args: Object.freeze((args ?? []).map(([n, type, kind]) => Object.freeze({ name: n, type, kind }))),
        argsKnown: args !== null,
        since,
        groups: Object.freeze([...groupsOf(name)]),
        implemented: implemented === 1,
      });
    });
    list.sort((x, y) => x.nr - y.nr);
    t = {
      list: Object.freeze(list),
      byName: new Map(list.map((s) => [s.name, s])),
      byNr: new Map(list.map((s) => [s.nr, s])),
    };
    tables.set(a.name, t);
  }
  return t;
}

/** Every syscall of the ABI, sorted by number. Numbers include the ABI's base and syscall bit. */
export function syscalls(arch: string | Arch): readonly Syscall[] {
  return table(arch).list;
}

export function syscallByName(arch: string | Arch, name: string): Syscall | undefined {
  return table(arch).byName.get(name);
}

export function syscallByNumber(arch: string | Arch, nr: number): Syscall | undefined {
  return table(arch).byNr.get(nr);
}

/** Parses '257', '0x101' as numbers; anything else is a name. */
function asNumber(v: string): number | undefined {
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s.slice(2), 16);
  return undefined;
}

/**
 * A syscall by name or number (a number, or a string of digits or 0x-hex).
 * Throws UnknownSyscallError naming the ABI, with a close name or the ABIs that do have it.
 */
export function resolveSyscall(arch: string | Arch, nameOrNumber: string | number): Syscall {
  const a = toArch(arch);
  const t = table(a);
  const nr = typeof nameOrNumber === 'number' ? nameOrNumber : asNumber(nameOrNumber);
  if (nr !== undefined) {
    const s = t.byNr.get(nr);
    if (!s) throw new UnknownSyscallError(String(nameOrNumber), a.name, undefined);
    return s;
  }
  const name = String(nameOrNumber).trim();
  const s = t.byName.get(name) ?? t.byName.get(name.toLowerCase());
  if (s) return s;
  const elsewhere = arches()
    .filter((x) => table(x).byName.has(name))
    .map((x) => x.name);
  throw new UnknownSyscallError(name, a.name, suggest(name, t.byName.keys()), elsewhere);
}

/** Every syscall name known on any ABI, sorted. */
export function syscallNames(): readonly string[] {
  if (!allNames) {
    const names = new Set<string>();
    for (const a of arches()) for (const r of syscallRows(a.name)) names.add(r[0]);
    allNames = Object.freeze([...names].sort());
  }
  return allNames;
}
