/**
 * From a policy to the seccomp program the launcher installs: @sb/policy's
 * per-ABI rules become one @sb/bpf policy over every ABI of this machine.
 */
import { action, compile, encode, type Insn, type PolicyRule } from '@sb/bpf';
import { compilePolicy, type Policy, type SyscallAction, type SyscallRule } from '@sb/policy';
import { syscallByName } from '@sb/syscalls';
import { hostAbis } from './arches.js';

import { ENGINE_TRACE_ID } from './trace-ids.js';

export { ENGINE_TRACE_ID };

const EPERM = 1;
const TIOCSTI = 0x5412n;
const TIOCLINUX = 0x541cn;

/**
 * Pushing input into a terminal the sandbox shares with its caller runs commands
 * outside it once sb exits (bubblewrap's CVE-2017-5226): denied whatever the
 * policy says. Only the low 32 bits of the request count, as in the kernel
 * (cmd is an unsigned int), so an upper half cannot sneak past the comparison.
 */
const TERMINAL_INJECTION: PolicyRule[] = [TIOCSTI, TIOCLINUX].map((req) => ({
  syscall: 'ioctl',
  action: action.errno(EPERM),
  args: [{ index: 1, op: 'masked==' as const, value: req, mask: 0xffffffffn }],
}));

export interface CompiledFilter {
  readonly arches: readonly string[];
  readonly program: readonly Insn[];
  /** struct sock_filter[] in host byte order, for LaunchOptions.filter. */
  readonly bytes: Uint8Array;
  /** Syscalls whose rules differed between ABIs and are therefore traced on all of them. */
  readonly widened: readonly string[];
}

function bpfAction(a: SyscallAction): number {
  if (a === 'allow') return action.allow;
  if ('deny' in a) return action.errno(a.deny);
  return action.trace(a.trace);
}

function toBpf(r: SyscallRule): PolicyRule {
  const args = (r.args ?? []).map((c) =>
    c.op === 'EQ'
      ? { index: c.arg, op: '==' as const, value: BigInt(c.value >>> 0) }
      : {
          index: c.arg,
          op: 'masked==' as const,
          value: BigInt(c.value >>> 0),
          mask: BigInt((c.mask ?? 0xffffffff) >>> 0),
        },
  );
  return args.length > 0
    ? { syscall: r.syscall, action: bpfAction(r.action), args }
    : { syscall: r.syscall, action: bpfAction(r.action) };
}

const key = (rules: readonly SyscallRule[]): string =>
  JSON.stringify(rules.map((r) => [r.action, r.args ?? []]));

/**
 * @sb/bpf's rules name syscalls for every ABI at once, while @sb/policy's may differ per ABI
 * (open flag values, socketcall). A syscall whose rule lists differ between the ABIs that have
 * it is traced unconditionally on all of them: the supervisor then decides it from scratch,
 * which is always correct, only slower.
 */
export function compileFilter(
  policy: Policy,
  arches: readonly string[] = hostAbis(),
  /** Trap only these syscalls (Landlock enforces the rest); denials stay. Default: all the policy needs. */
  trapOnly: ReadonlySet<string> | null = null,
  /** 'user-notif': the policy's decision calls go to a seccomp listener (@sb/unotify), not the tracer. */
  decisions: 'trace' | 'user-notif' = 'trace',
): CompiledFilter {
  const perArch = compilePolicy(policy, { arches }).syscalls;
  const byName = new Map<string, Map<string, SyscallRule[]>>();
  for (const arch of arches) {
    for (const r of perArch[arch]?.rules ?? []) {
      if (trapOnly && typeof r.action === 'object' && 'trace' in r.action && !trapOnly.has(r.syscall))
        continue;
      const m = byName.get(r.syscall) ?? new Map<string, SyscallRule[]>();
      const list = m.get(arch) ?? [];
      list.push(r);
      m.set(arch, list);
      byName.set(r.syscall, m);
    }
  }
  const rules: PolicyRule[] = [
    ...TERMINAL_INJECTION,
    // The engine must see clone (to strip CLONE_UNTRACED) and clone3 (denied: flags in memory).
    { syscall: 'clone', action: action.trace(ENGINE_TRACE_ID) },
    { syscall: 'clone3', action: action.trace(ENGINE_TRACE_ID) },
  ];
  const widened: string[] = [];
  for (const [name, m] of byName) {
    if (name === 'clone' || name === 'clone3') continue;
    const lists = [...m.values()];
    const first = lists[0] ?? [];
    // Present on an ABI without rules there, or different rules: trace everywhere.
    const onAll = arches.filter((a) => archHas(a, name)).length === m.size;
    if (onAll && lists.every((l) => key(l) === key(first))) {
      rules.push(...first.map(toBpf));
      continue;
    }
    const traced = first.find((r) => typeof r.action === 'object' && 'trace' in r.action)?.action;
    const id = traced && typeof traced === 'object' && 'trace' in traced ? traced.trace : 2;
    rules.push({ syscall: name, action: action.trace(id) });
    widened.push(name);
  }
  // The engine's own clone/clone3 traps stay with the tracer whoever decides the rest.
  const isTrace = (a: number) => (a & 0xffff0000) >>> 0 === action.trace(0);
  const final =
    decisions === 'user-notif'
      ? rules.map((r) =>
          r.syscall !== 'clone' && r.syscall !== 'clone3' && isTrace(r.action)
            ? { ...r, action: action.userNotif }
            : r,
        )
      : rules;
  const program = compile({
    arches,
    defaultAction: action.allow,
    badArchAction: action.killProcess,
    rules: final,
  });
  return { arches, program, bytes: encode(program), widened };
}

function archHas(arch: string, name: string): boolean {
  return syscallByName(arch, name) !== undefined;
}
