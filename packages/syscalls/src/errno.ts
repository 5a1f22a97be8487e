/** errno and signal names and numbers per ABI (they differ on alpha, mips, parisc, sparc). */
import { toArch } from './arches.js';
import { errnoRows, signalData } from './data.js';
import type { Arch, NamedNumber } from './types.js';

const errCache = new Map<string, readonly NamedNumber[]>();
const sigCache = new Map<string, readonly NamedNumber[]>();

function build(rows: [string, number, string | null, (string | null)?][]): readonly NamedNumber[] {
  return Object.freeze(
    rows.map(([name, number, aliasOf, description]) => {
      const e: { name: string; number: number; aliasOf?: string; description?: string } = { name, number };
      if (description) e.description = description;
      if (aliasOf) e.aliasOf = aliasOf;
      return Object.freeze(e);
    }),
  );
}

function list(
  cache: Map<string, readonly NamedNumber[]>,
  data: (abi: string) => unknown,
  arch: string | Arch,
) {
  const a = toArch(arch);
  let l = cache.get(a.name);
  if (!l) {
    const rows = data(a.name) as [string, number, string | null, (string | null)?][] | undefined;
    if (!rows) throw new Error(`@sb/syscalls: no errno/signal table for ${a.name}`);
    l = build(rows);
    cache.set(a.name, l);
  }
  return l;
}

/** errno values of the ABI, by number; aliases (EWOULDBLOCK, EDEADLOCK) follow the name they alias. */
export function errnos(arch: string | Arch): readonly NamedNumber[] {
  return list(errCache, errnoRows, arch);
}

export function errnoNumber(arch: string | Arch, name: string): number | undefined {
  const n = name.trim().toUpperCase();
  return errnos(arch).find((e) => e.name === n)?.number;
}

/** The primary name of an errno number (EAGAIN, not EWOULDBLOCK). */
export function errnoName(arch: string | Arch, n: number): string | undefined {
  return errnos(arch).find((e) => e.number === n && !e.aliasOf)?.name;
}

/** Signals of the ABI (SIGHUP ... SIGRTMIN, SIGRTMAX as the kernel defines them), by number. */
export function signals(arch: string | Arch): readonly NamedNumber[] {
  return list(sigCache, (abi) => signalData()[abi], arch);
}

/** Accepts 'SIGUSR1' or 'USR1'. */
export function signalNumber(arch: string | Arch, name: string): number | undefined {
  const n = name.trim().toUpperCase();
  const full = n.startsWith('SIG') ? n : `SIG${n}`;
  return signals(arch).find((s) => s.name === full)?.number;
}

/** The primary name of a signal number (SIGABRT, not SIGIOT). SIGRTMIN+n is not named. */
export function signalName(arch: string | Arch, n: number): string | undefined {
  return signals(arch).find((s) => s.number === n && !s.aliasOf)?.name;
}
