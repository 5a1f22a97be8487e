import type { SeccompData } from '../emulator/seccomp-data.js';
import { SECCOMP_RET_KILL_PROCESS } from '../insn.js';
import { type ArchTarget, archTarget, groupMembers } from './arches.js';
import type { ArgCondition, Policy, PolicyRule } from './types.js';

const MASK64 = (1n << 64n) - 1n;
const SKIPPED = 0xffffffff;

/**
 * The ABI of `policy` that a seccomp_data belongs to, or undefined (bad arch). ABIs that
 * share an AUDIT_ARCH value (x86_64 and x32) are told apart by the syscall bit: numbers
 * >= __X32_SYSCALL_BIT are x32's, except -1 (a skipped call), which goes to the first
 * ABI of the pair that the policy lists.
 */
export function abiOf(targets: readonly ArchTarget[], arch: number, nr: number): ArchTarget | undefined {
  const same = targets.filter((t) => t.auditArch === arch >>> 0);
  if (same.length <= 1) {
    const only = same[0];
    if (!only) return undefined;
    // A lone x86_64 must not see x32 numbers, a lone x32 not x86_64 ones.
    return claims(only, nr >>> 0) ? only : undefined;
  }
  if (nr >>> 0 === SKIPPED) return same[0];
  return same.find((t) => claims(t, nr >>> 0));
}

/** Whether a syscall number (unsigned) belongs to this ABI as far as the syscall bit tells. */
function claims(t: ArchTarget, nr: number): boolean {
  if (nr === SKIPPED) return true;
  const bit = t.syscallBit || sharedBit(t);
  if (bit === 0) return true;
  return t.syscallBit !== 0 ? nr >= bit : nr < bit;
}

/** For x86_64: the bit its x32 sibling uses (x86_64 must reject x32 numbers even when x32 is not in the policy). */
function sharedBit(t: ArchTarget): number {
  return t.name === 'x86_64' ? 0x40000000 : 0;
}

function ruleNames(rule: PolicyRule, t: ArchTarget, nr: number): boolean {
  const s = rule.syscall;
  if (typeof s === 'number') return s >>> 0 === nr;
  if (s.startsWith('@')) return groupMembers(s).some((name) => t.byName.get(name) === nr);
  return t.byName.get(s) === nr;
}

/** One condition on an argument value as the syscall receives it (unsigned, ABI width). */
export function conditionHolds(c: ArgCondition, arg: bigint): boolean {
  const v = c.value & MASK64;
  switch (c.op) {
    case '==':
      return arg === v;
    case '!=':
      return arg !== v;
    case '<':
      return arg < v;
    case '<=':
      return arg <= v;
    case '>':
      return arg > v;
    case '>=':
      return arg >= v;
    case 'masked==':
      return (arg & (c.mask ?? 0n) & MASK64) === v;
  }
}

/**
 * The action a policy gives a syscall, computed straight from the rules (no BPF): the
 * reference the compiled program is tested against.
 */
export function evaluatePolicy(policy: Policy, data: SeccompData): number {
  const targets = policy.arches.map((a) => archTarget(a));
  const t = abiOf(targets, data.arch, data.nr);
  if (!t) return (policy.badArchAction ?? SECCOMP_RET_KILL_PROCESS) >>> 0;
  const nr = data.nr >>> 0;
  const width = t.argBits === 64 ? MASK64 : 0xffffffffn;
  const args = [0, 1, 2, 3, 4, 5].map((i) => (data.args?.[i] ?? 0n) & width);
  for (const rule of policy.rules) {
    if (!ruleNames(rule, t, nr)) continue;
    if ((rule.args ?? []).every((c) => conditionHolds(c, args[c.index] ?? 0n))) return rule.action >>> 0;
  }
  return policy.defaultAction >>> 0;
}
