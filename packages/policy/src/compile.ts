/**
 * Compiling a policy: (1) per-ABI syscall rules for the seccomp filter
 * (allowed outright, denied outright, or traced for a runtime check with a
 * category id), keeping the supervisor out of every call it need not see;
 * (2) the runtime checker and syscall evaluator; (3) a slot for a Landlock
 * ruleset, filled by a later stage.
 */

import { type Arch, arches, errnoNumber, getArch, syscalls } from '@sb/syscalls';
import { openFlagsFor } from './arch/flags.js';
import { type CheckContext, Checker } from './checker.js';
import { TRACE_IDS } from './coverage.js';
import { SyscallEvaluator } from './evaluate.js';
import { MAGIC_STAT_CALLS, MagicState, magicAllowed } from './magic.js';
import type { Category, Policy } from './model.js';
import { type OperandPlan, planSyscall } from './plan.js';
import { PathResolver } from './resolve.js';

/** What the seccomp filter does with a call. */
export type SyscallAction =
  | 'allow'
  | { readonly deny: number; readonly errno: string }
  | { readonly trace: number; readonly category: keyof typeof TRACE_IDS };

/** One comparison on an argument register (libseccomp's SCMP_CMP_*). */
export interface ArgCondition {
  readonly arg: number;
  readonly op: 'EQ' | 'MASKED_EQ';
  readonly value: number;
  /** For MASKED_EQ: (arg & mask) == value. Only the low 32 bits are meant (flags are ints). */
  readonly mask?: number;
}

export interface SyscallRule {
  readonly syscall: string;
  readonly nr: number;
  readonly action: SyscallAction;
  /** All must hold. Rules of one syscall are ordered: the first whose conditions hold applies. */
  readonly args?: readonly ArgCondition[];
}

export interface ArchRules {
  readonly arch: string;
  readonly auditArch: number;
  /** Calls with no rule (or no matching rule) get this. */
  readonly defaultAction: 'allow';
  readonly rules: readonly SyscallRule[];
}

/** A later issue fills this from the policy's path rules. */
export interface LandlockRuleset {
  readonly handledAccessFs: bigint;
  readonly rules: readonly { readonly path: Uint8Array; readonly access: bigint }[];
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly syscalls: Readonly<Record<string, ArchRules>>;
  readonly checker: Checker;
  readonly evaluator: SyscallEvaluator;
  /** The run-time magic path state, when the policy lets the sandbox use it. */
  readonly magic: MagicState | null;
  /** Not produced yet (null): the Landlock backend comes with a later issue. */
  readonly landlock: LandlockRuleset | null;
}

export interface CompileOptions {
  /** ABIs to produce rules for (default: every ABI @sb/syscalls knows). */
  readonly arches?: readonly (string | Arch)[];
  readonly context?: CheckContext;
  readonly resolver?: PathResolver;
}

function isOn(policy: Policy, c: Category): boolean {
  return policy.sandbox[c] !== 'off';
}

function deny(arch: Arch, errno: string): SyscallAction {
  const n = errnoNumber(arch, errno);
  // An errno this ABI lacks: EPERM, which every ABI has.
  return { deny: n ?? errnoNumber(arch, 'EPERM') ?? 1, errno: n === undefined ? 'EPERM' : errno };
}

const trace = (category: keyof typeof TRACE_IDS): SyscallAction => ({ trace: TRACE_IDS[category], category });

/** The seccomp rules of one ABI. */
export function compileSyscallRules(policy: Policy, archIn: string | Arch): ArchRules {
  const arch = typeof archIn === 'string' ? getArch(archIn) : archIn;
  const rules: SyscallRule[] = [];
  const magic = magicAllowed(policy);
  const execLists =
    policy.options.exec.killIfMatch.length > 0 || policy.options.exec.resumeIfMatch.length > 0;
  const flags = openFlagsFor(arch.name);
  for (const sc of syscalls(arch)) {
    const plan = planSyscall(arch, sc);
    if (!plan) continue;
    const base = { syscall: sc.name, nr: sc.nr };
    switch (plan.kind) {
      case 'deny-when-on': {
        const on = plan.categories.some((c) => isOn(policy, c));
        if (on && !(plan.option && policy.options.unsafe[plan.option]))
          rules.push({ ...base, action: deny(arch, plan.errno) });
        break;
      }
      case 'socketcall': {
        const calls = arch.multiplexers.socketcall?.calls ?? {};
        const subs: [string, Category][] = [
          ['bind', 'net/bind'],
          ['connect', 'net/connect'],
          ['sendto', 'net/connect'],
          ['sendmsg', 'net/connect'],
          ['sendmmsg', 'net/connect'],
        ];
        for (const [sub, cat] of subs) {
          const n = calls[sub];
          if (n === undefined || !isOn(policy, cat)) continue;
          rules.push({
            ...base,
            action: trace('socketcall'),
            args: [{ arg: plan.callReg, op: 'EQ', value: n }],
          });
        }
        break;
      }
      case 'net': {
        if (!isOn(policy, plan.category)) break;
        if (sc.name === 'sendto') {
          // No address: a connected socket, whose connect was checked.
          rules.push({ ...base, action: 'allow', args: [{ arg: plan.addrReg, op: 'EQ', value: 0 }] });
        }
        rules.push({ ...base, action: trace(plan.category) });
        break;
      }
      case 'path': {
        const open = plan.operands.some((o) => o.spec.category === 'open');
        if (open) {
          rules.push(...openRules(policy, plan.name, plan.nr, plan.openFlagsReg, flags));
        } else {
          const cats = new Set(plan.operands.map((o: OperandPlan) => o.spec.category as Category));
          const on = [...cats].filter((c) => isOn(policy, c));
          const forExec = execLists && cats.has('exec');
          const forMagic = magic && MAGIC_STAT_CALLS.has(sc.name);
          if (on.length > 0) rules.push({ ...base, action: trace(on[0]!) });
          else if (forExec) rules.push({ ...base, action: trace('exec') });
          else if (forMagic) rules.push({ ...base, action: trace('stat') });
        }
        break;
      }
    }
  }
  return { arch: arch.name, auditArch: arch.auditArch, defaultAction: 'allow', rules };
}

/**
 * The open family. With flags in a register, opens whose flags make every
 * relevant category "off" are allowed in the kernel:
 *  - O_PATH opens only reveal existence (stat);
 *  - O_RDONLY without O_CREAT/O_TRUNC/O_TMPFILE only read;
 *  - O_WRONLY (with or without O_CREAT/O_TRUNC) only write.
 * openat2's flags are behind a pointer: traced whenever a category is on.
 */
function openRules(
  policy: Policy,
  syscall: string,
  nr: number,
  flagsReg: number | undefined,
  flags: ReturnType<typeof openFlagsFor>,
): SyscallRule[] {
  const base = { syscall, nr };
  const read = isOn(policy, 'read');
  const write = isOn(policy, 'write');
  const stat = isOn(policy, 'stat');
  if (!read && !write && !stat) return [];
  if (flagsReg === undefined || !flags) return [{ ...base, action: trace('open') }];
  const out: SyscallRule[] = [];
  const arg = flagsReg;
  if (!stat)
    out.push({
      ...base,
      action: 'allow',
      args: [{ arg, op: 'MASKED_EQ', mask: flags.O_PATH, value: flags.O_PATH }],
    });
  if (!read) {
    const mask = flags.O_PATH | flags.O_ACCMODE | flags.O_CREAT | flags.O_TRUNC | flags.O_TMPFILE_BIT;
    out.push({ ...base, action: 'allow', args: [{ arg, op: 'MASKED_EQ', mask, value: 0 }] });
  }
  if (!write) {
    const mask = flags.O_PATH | flags.O_ACCMODE;
    out.push({ ...base, action: 'allow', args: [{ arg, op: 'MASKED_EQ', mask, value: flags.O_WRONLY }] });
  }
  if (!read && !write) {
    out.push({ ...base, action: 'allow', args: [{ arg, op: 'MASKED_EQ', mask: flags.O_PATH, value: 0 }] });
  }
  out.push({ ...base, action: trace('open') });
  return out;
}

/** Compile a policy into seccomp rules for each ABI, a checker and an evaluator. */
export function compilePolicy(policy: Policy, options: CompileOptions = {}): CompiledPolicy {
  const checker = new Checker(policy, options.context);
  // Categories the filter traces: only those may be changed at run time through the magic path.
  const traced = new Set<Category>(
    (Object.keys(policy.sandbox) as Category[]).filter((c) => isOn(policy, c)),
  );
  const magic = magicAllowed(policy) ? new MagicState(policy, traced, options.context) : null;
  const list = options.arches ?? arches();
  const out: Record<string, ArchRules> = {};
  for (const a of list) {
    const r = compileSyscallRules(policy, a);
    out[r.arch] = r;
  }
  return {
    policy,
    syscalls: out,
    get checker() {
      return magic?.checker ?? checker;
    },
    evaluator: new SyscallEvaluator(checker, options.resolver ?? new PathResolver(), magic),
    magic,
    landlock: null,
  };
}
