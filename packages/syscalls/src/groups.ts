/** systemd's SystemCallFilter= sets (see source/systemd-groups.txt). */
import { groupData } from './data.js';
import { UnknownGroupError } from './errors.js';
import { suggest } from './suggest.js';
import type { SyscallGroup } from './types.js';

let all: readonly SyscallGroup[] | undefined;
const expanded = new Map<string, readonly string[]>();
let membership: Map<string, string[]> | undefined;

/** Every group, as written in the source (members may name nested groups). */
export function groups(): readonly SyscallGroup[] {
  all ??= Object.freeze(
    groupData().map((g) => Object.freeze({ ...g, members: Object.freeze([...g.members]) })),
  );
  return all;
}

export function findGroup(name: string): SyscallGroup | undefined {
  const n = name.startsWith('@') ? name : `@${name}`;
  return groups().find((g) => g.name === n);
}

/** The sorted syscall names of a group, nested groups expanded. Accepts 'file-system' or '@file-system'. */
export function expandGroup(name: string): readonly string[] {
  const g = findGroup(name);
  if (!g) {
    throw new UnknownGroupError(
      name,
      suggest(
        name.startsWith('@') ? name : `@${name}`,
        groups().map((x) => x.name),
      ),
    );
  }
  let out = expanded.get(g.name);
  if (!out) {
    const names = new Set<string>();
    const visit = (grp: SyscallGroup, path: string[]) => {
      for (const m of grp.members) {
        if (!m.startsWith('@')) {
          names.add(m);
          continue;
        }
        if (path.includes(m)) throw new Error(`@sb/syscalls: group ${m} includes itself`);
        visit(findGroup(m)!, [...path, m]);
      }
    };
    visit(g, [g.name]);
    out = Object.freeze([...names].sort());
    expanded.set(g.name, out);
  }
  return out;
}

/** The groups a syscall name belongs to (directly or through nesting), sorted. */
export function groupsOf(syscall: string): readonly string[] {
  if (!membership) {
    membership = new Map();
    for (const g of groups()) {
      for (const n of expandGroup(g.name)) {
        const l = membership.get(n) ?? [];
        l.push(g.name);
        membership.set(n, l);
      }
    }
    for (const l of membership.values()) l.sort();
  }
  return membership.get(syscall) ?? [];
}
