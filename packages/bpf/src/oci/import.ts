import { action } from '../compiler/actions.js';
import { archTarget, groupMembers } from '../compiler/arches.js';
import {
  type ArgCondition,
  type CmpOp,
  type Policy,
  PolicyError,
  type PolicyRule,
} from '../compiler/types.js';
import { abiOfScmp, goArchOfAbi } from './names.js';
import { type OciArg, type OciProfile, type OciSyscall, parseOciProfile } from './profile.js';

export interface OciImportOptions {
  /** The native ABI the container runs on (Moby's archMap key). Default x86_64. */
  readonly arch?: string;
  /** The container's capability set (bounding set), e.g. ['CAP_SYS_ADMIN']. Default none. */
  readonly caps?: readonly string[];
  /**
   * Kernel version for `minKernel` ('6.1'). Without it, entries that need a minimum kernel
   * are left out, which denies more, never less.
   */
  readonly kernel?: string;
}

export interface OciImport {
  readonly policy: Policy;
  /** Syscall names the profile lists that exist on none of the policy's ABIs (runc ignores them too). */
  readonly unknown: readonly string[];
  /** Entries left out by includes/excludes, as `syscalls[i]: reason`. */
  readonly excluded: readonly string[];
}

const OPS: Readonly<Record<OciArg['op'], CmpOp>> = {
  SCMP_CMP_NE: '!=',
  SCMP_CMP_LT: '<',
  SCMP_CMP_LE: '<=',
  SCMP_CMP_EQ: '==',
  SCMP_CMP_GE: '>=',
  SCMP_CMP_GT: '>',
  SCMP_CMP_MASKED_EQ: 'masked==',
};

/** SCMP_ACT_* -> filter return value, with runc's errno defaults. */
export function ociAction(
  name: string,
  errnoRet: number | null | undefined,
  defaultErrnoRet: number | null | undefined,
  where: string,
): number {
  switch (name) {
    case 'SCMP_ACT_ALLOW':
      return action.allow;
    case 'SCMP_ACT_LOG':
      return action.log;
    case 'SCMP_ACT_NOTIFY':
      return action.userNotif;
    case 'SCMP_ACT_KILL':
    case 'SCMP_ACT_KILL_THREAD':
      return action.killThread;
    case 'SCMP_ACT_KILL_PROCESS':
      return action.killProcess;
    case 'SCMP_ACT_TRAP':
      return action.trap(0);
    case 'SCMP_ACT_ERRNO':
      return action.errno(errnoRet ?? defaultErrnoRet ?? 1);
    case 'SCMP_ACT_TRACE':
      return action.trace(errnoRet ?? defaultErrnoRet ?? 1);
    default:
      throw new PolicyError(`${where}: unknown action "${name}"`);
  }
}

function versionAtLeast(have: string, need: string): boolean {
  const a = have.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const b = need.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Moby's rule: every included cap present, the native arch listed, the kernel new enough; no excluded one. */
function exclusion(
  s: OciSyscall,
  nativeAbi: string,
  caps: ReadonlySet<string>,
  kernel: string | undefined,
): string | undefined {
  const goArch = goArchOfAbi(nativeAbi);
  const inc = s.includes;
  if (inc) {
    for (const c of inc.caps ?? []) if (!caps.has(c)) return `needs ${c}`;
    if (inc.arches?.length && !inc.arches.includes(goArch)) return `only for ${inc.arches.join(', ')}`;
    if (inc.minKernel) {
      if (kernel === undefined) return `needs kernel ${inc.minKernel} and no kernel version was given`;
      if (!versionAtLeast(kernel, inc.minKernel)) return `needs kernel ${inc.minKernel}`;
    }
  }
  const exc = s.excludes;
  if (exc) {
    for (const c of exc.caps ?? []) if (caps.has(c)) return `not with ${c}`;
    if (exc.arches?.includes(goArch)) return `not for ${goArch}`;
    if (exc.minKernel && kernel !== undefined && versionAtLeast(kernel, exc.minKernel)) {
      return `not from kernel ${exc.minKernel}`;
    }
  }
  return undefined;
}

function condition(a: OciArg): ArgCondition {
  const op = OPS[a.op];
  // libseccomp's SCMP_CMP_MASKED_EQ: (arg & value) == valueTwo.
  if (op === 'masked==') return { index: a.index, op, mask: a.value, value: a.valueTwo ?? 0n };
  return { index: a.index, op, value: a.value };
}

/** The ABIs a profile's filter serves on `native`: `architectures`, or Moby's archMap entry. */
function abisOf(p: OciProfile, native: string, source: string): string[] {
  const canon = archTarget(native).name;
  if (p.architectures?.length && p.archMap?.length) {
    throw new PolicyError(`${source}: use either "architectures" or "archMap", not both`);
  }
  let tokens: string[] = [];
  if (p.architectures?.length) tokens = p.architectures;
  else if (p.archMap?.length) {
    const entry = p.archMap.find((m) => abiOfScmp(m.architecture) === canon);
    if (entry) tokens = [entry.architecture, ...(entry.subArchitectures ?? [])];
  }
  const abis = [canon];
  tokens.forEach((tok, i) => {
    const abi = abiOfScmp(tok);
    if (!abi) throw new PolicyError(`${source}: architectures[${i}]: unknown architecture "${tok}"`);
    let name: string;
    try {
      name = archTarget(abi).name;
    } catch {
      return; // an ABI @sb/syscalls has no table for: it cannot be the native one, leave it out
    }
    if (!abis.includes(name)) abis.push(name);
  });
  return abis;
}

/**
 * Turns an OCI/Docker seccomp profile into a policy for one native ABI and capability set.
 * Entries are kept in file order (first match wins, as no entry of Moby's profile overlaps
 * another with a different action); an entry whose `args` name one index twice becomes one
 * rule per condition, OR-ed, as runc does.
 */
export function importOci(
  input: string | unknown,
  opts: OciImportOptions = {},
  source = 'profile',
): OciImport {
  const p = parseOciProfile(input, source);
  const native = opts.arch ?? 'x86_64';
  const abis = abisOf(p, native, source);
  const targets = abis.map((a) => archTarget(a));
  const caps = new Set(opts.caps ?? []);
  const defaultAction = ociAction(p.defaultAction, p.defaultErrnoRet, undefined, `${source}: defaultAction`);
  const rules: PolicyRule[] = [];
  const unknown = new Set<string>();
  const excluded: string[] = [];
  (p.syscalls ?? []).forEach((s, i) => {
    const where = `${source}: syscalls[${i}]`;
    const why = exclusion(s, targets[0]?.name ?? native, caps, opts.kernel);
    if (why) {
      excluded.push(`syscalls[${i}] (${(s.names ?? [s.name]).slice(0, 3).join(', ')}...): ${why}`);
      return;
    }
    const act = ociAction(s.action, s.errnoRet, p.defaultErrnoRet, `${where}.action`);
    const args = (s.args ?? []).map(condition);
    const counts = new Map<number, number>();
    for (const a of args) counts.set(a.index, (counts.get(a.index) ?? 0) + 1);
    const alternatives = [...counts.values()].some((n) => n > 1) ? args.map((a) => [a]) : [args];
    for (const name of s.names ?? (s.name ? [s.name] : [])) {
      const known = name.startsWith('@')
        ? groupMembers(name).length > 0
        : targets.some((t) => t.byName.has(name));
      if (!known) {
        unknown.add(name);
        continue;
      }
      for (const conds of alternatives)
        rules.push(
          conds.length ? { syscall: name, action: act, args: conds } : { syscall: name, action: act },
        );
    }
  });
  return {
    policy: { arches: abis, defaultAction, rules },
    unknown: [...unknown].sort(),
    excluded,
  };
}
