import { SECCOMP_RET_KILL_PROCESS } from '../insn.js';
import { type ArchTarget, archTarget, groupMembers, suggest } from './arches.js';
import { type ArgCondition, CMP_OPS, type Policy, PolicyError, type PolicyRule } from './types.js';

const MASK64 = (1n << 64n) - 1n;

/** One rule as it applies to one syscall number of one ABI. */
export interface Entry {
  readonly conds: readonly ArgCondition[];
  readonly action: number;
}

export interface ArchPlan {
  readonly target: ArchTarget;
  /** Unsigned syscall number -> rules in policy order. Numbers absent get the default action. */
  readonly entries: ReadonlyMap<number, readonly Entry[]>;
}

export interface Plan {
  readonly arches: readonly ArchPlan[];
  readonly defaultAction: number;
  readonly badArchAction: number;
}

function checkAction(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -0x80000000 || v > 0xffffffff) {
    throw new PolicyError(`${where}: an action is a 32-bit filter return value, got ${String(v)}`);
  }
  return v >>> 0;
}

function checkCondition(c: ArgCondition, where: string): ArgCondition {
  if (!Number.isInteger(c.index) || c.index < 0 || c.index > 5) {
    throw new PolicyError(`${where}.index: seccomp sees arguments 0..5, got ${c.index}`);
  }
  if (!CMP_OPS.includes(c.op)) throw new PolicyError(`${where}.op: unknown comparison "${c.op}"`);
  if (typeof c.value !== 'bigint') throw new PolicyError(`${where}.value: must be a bigint`);
  if (c.op === 'masked==' && typeof c.mask !== 'bigint') {
    throw new PolicyError(`${where}.mask: 'masked==' needs a mask`);
  }
  if (c.op !== 'masked==' && c.mask !== undefined) {
    throw new PolicyError(`${where}.mask: only 'masked==' takes a mask`);
  }
  const value = c.value & MASK64;
  return c.op === 'masked=='
    ? { index: c.index, op: c.op, value, mask: (c.mask ?? 0n) & MASK64 }
    : { index: c.index, op: c.op, value };
}

/** Narrows a condition to a 32-bit ABI, or explains why it cannot be. */
function narrow(c: ArgCondition, target: ArchTarget, where: string): ArgCondition {
  if (target.argBits === 64 || c.value >> 32n === 0n) return c;
  throw new PolicyError(
    `${where}: value 0x${c.value.toString(16)} has a nonzero upper half, but on ${target.name} the kernel passes ` +
      '32-bit arguments, so it could never be compared as written (write the 32-bit value, e.g. 0xffffffff for -1)',
  );
}

/** The syscall numbers a rule names on one ABI (empty when the name does not exist there). */
function numbersOf(rule: PolicyRule, target: ArchTarget): number[] {
  const s = rule.syscall;
  if (typeof s === 'number') return [s >>> 0];
  if (s.startsWith('@')) {
    const out: number[] = [];
    for (const name of groupMembers(s)) {
      const nr = target.byName.get(name);
      if (nr !== undefined) out.push(nr);
    }
    return out;
  }
  const nr = target.byName.get(s);
  return nr === undefined ? [] : [nr];
}

/** Resolves names per ABI, validates every field, and groups rules by syscall number. */
export function normalize(policy: Policy): Plan {
  if (!Array.isArray(policy.arches) || policy.arches.length === 0) {
    throw new PolicyError('arches: a policy needs at least one architecture');
  }
  const targets: ArchTarget[] = [];
  policy.arches.forEach((name, i) => {
    let t: ArchTarget;
    try {
      t = archTarget(name);
    } catch (e) {
      throw new PolicyError(`arches[${i}]: ${(e as Error).message}`);
    }
    if (targets.some((o) => o.name === t.name))
      throw new PolicyError(`arches[${i}]: "${name}" is listed twice`);
    targets.push(t);
  });
  const defaultAction = checkAction(policy.defaultAction, 'defaultAction');
  const badArchAction = checkAction(policy.badArchAction ?? SECCOMP_RET_KILL_PROCESS, 'badArchAction');

  const perArch = targets.map(() => new Map<number, Entry[]>());
  policy.rules.forEach((rule, i) => {
    const where = `rules[${i}]`;
    const action = checkAction(rule.action, `${where}.action`);
    const s = rule.syscall;
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -1 || s > 0xffffffff) {
        throw new PolicyError(`${where}.syscall: a syscall number is -1..4294967295, got ${s}`);
      }
    } else if (typeof s !== 'string' || s === '') {
      throw new PolicyError(`${where}.syscall: expected a name or a number`);
    }
    const conds = (rule.args ?? []).map((c, j) => checkCondition(c, `${where}.args[${j}]`));
    let found = false;
    targets.forEach((t, a) => {
      const nrs = numbersOf(rule, t);
      if (nrs.length === 0) return; // unknown on this ABI: skipped there, like libseccomp
      found = true;
      const narrowed = conds.map((c, j) => narrow(c, t, `${where}.args[${j}] on ${t.name}`));
      const table = perArch[a] as Map<number, Entry[]>;
      for (const nr of nrs) {
        const list = table.get(nr) ?? [];
        list.push({ conds: narrowed, action });
        table.set(nr, list);
      }
    });
    if (!found && typeof s === 'string' && !s.startsWith('@')) {
      const hints = suggest(s, targets);
      throw new PolicyError(
        `${where}.syscall: "${s}" is not a syscall on ${targets.map((t) => t.name).join(', ')}` +
          (hints.length ? ` (did you mean ${hints.map((h) => `"${h}"`).join(', ')}?)` : ''),
      );
    }
  });
  return {
    arches: targets.map((target, a) => ({ target, entries: perArch[a] as Map<number, Entry[]> })),
    defaultAction,
    badArchAction,
  };
}
