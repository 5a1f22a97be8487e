import { action } from '../compiler/actions.js';
import { archTarget, groupMembers } from '../compiler/arches.js';
import { type ArgCondition, type Policy, PolicyError } from '../compiler/types.js';
import { SECCOMP_RET_ACTION_FULL, SECCOMP_RET_DATA } from '../insn.js';
import { scmpOfAbi } from './names.js';

interface OciActionOut {
  action: string;
  errnoRet?: number;
}

function ociActionOf(value: number, where: string): OciActionOut {
  const v = value >>> 0;
  const full = (v & SECCOMP_RET_ACTION_FULL) >>> 0;
  const data = v & SECCOMP_RET_DATA;
  if (v === action.allow) return { action: 'SCMP_ACT_ALLOW' };
  if (v === action.log) return { action: 'SCMP_ACT_LOG' };
  if (v === action.userNotif) return { action: 'SCMP_ACT_NOTIFY' };
  if (v === action.killThread) return { action: 'SCMP_ACT_KILL_THREAD' };
  if (v === action.killProcess) return { action: 'SCMP_ACT_KILL_PROCESS' };
  if (full === action.errno(0)) return { action: 'SCMP_ACT_ERRNO', errnoRet: data };
  if (full === action.trace(0)) return { action: 'SCMP_ACT_TRACE', errnoRet: data };
  if (v === action.trap(0)) return { action: 'SCMP_ACT_TRAP' };
  throw new PolicyError(`${where}: action 0x${v.toString(16)} has no OCI spelling`);
}

const OPS: Readonly<Record<ArgCondition['op'], string>> = {
  '!=': 'SCMP_CMP_NE',
  '<': 'SCMP_CMP_LT',
  '<=': 'SCMP_CMP_LE',
  '==': 'SCMP_CMP_EQ',
  '>=': 'SCMP_CMP_GE',
  '>': 'SCMP_CMP_GT',
  'masked==': 'SCMP_CMP_MASKED_EQ',
};

/** A JSON number when exact, else a decimal string (parseOciProfile reads both). */
const u64 = (v: bigint): number | string => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());

/**
 * Writes a policy as an OCI runtime-spec seccomp profile. Consecutive rules with the same
 * action and conditions share one entry. Refused (PolicyError) where OCI cannot say the same
 * thing: raw syscall numbers, TRAP with data, and two conditions on one argument (runc
 * would OR them). The bad-arch action has no OCI field (runtimes use libseccomp's).
 */
export function exportOci(policy: Policy): Record<string, unknown> {
  const def = ociActionOf(policy.defaultAction, 'defaultAction');
  const architectures = policy.arches.map((a, i) => {
    const tok = scmpOfAbi(archTarget(a).name);
    if (!tok) throw new PolicyError(`arches[${i}]: "${a}" has no SCMP_ARCH_* token`);
    return tok;
  });
  const syscalls: Record<string, unknown>[] = [];
  let lastKey = '';
  policy.rules.forEach((r, i) => {
    const where = `rules[${i}]`;
    if (typeof r.syscall === 'number')
      throw new PolicyError(`${where}.syscall: OCI profiles name syscalls; ${r.syscall} is a number`);
    const names = r.syscall.startsWith('@') ? [...groupMembers(r.syscall)] : [r.syscall];
    const act = ociActionOf(r.action, `${where}.action`);
    const seen = new Set<number>();
    const args = (r.args ?? []).map((c, j) => {
      if (seen.has(c.index)) {
        throw new PolicyError(
          `${where}.args[${j}]: a second condition on argument ${c.index} would be OR-ed by OCI runtimes, not AND-ed`,
        );
      }
      seen.add(c.index);
      return c.op === 'masked=='
        ? { index: c.index, value: u64(c.mask ?? 0n), valueTwo: u64(c.value), op: OPS[c.op] }
        : { index: c.index, value: u64(c.value), valueTwo: 0, op: OPS[c.op] };
    });
    const entry: Record<string, unknown> = { names, action: act.action };
    if (act.errnoRet !== undefined) entry.errnoRet = act.errnoRet;
    if (args.length) entry.args = args;
    const key = JSON.stringify({ ...entry, names: undefined });
    const prev = syscalls[syscalls.length - 1];
    if (prev && key === lastKey) (prev.names as string[]).push(...names);
    else syscalls.push(entry);
    lastKey = key;
  });
  return {
    defaultAction: def.action,
    ...(def.errnoRet !== undefined ? { defaultErrnoRet: def.errnoRet } : {}),
    architectures,
    syscalls,
  };
}
