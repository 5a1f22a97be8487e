import { BPF_JEQ, type Insn, SECCOMP_DATA_ARCH, SECCOMP_DATA_NR } from '../insn.js';
import { verify } from '../verifier/verify.js';
import type { ArchTarget } from './arches.js';
import { constantOutcome, emitEntries, liveEntries } from './args.js';
import { buildSearchTree, mergeRanges, type NrRange } from './dispatch.js';
import { Graph, layout, type NodeId, optimize } from './ir.js';
import { type ArchPlan, type Entry, normalize, type Plan } from './normalize.js';
import { type Policy, PolicyError } from './types.js';

const X32_SYSCALL_BIT = 0x40000000;
const SKIPPED = 0xffffffff;
/** Extra search-tree weight of a syscall whose rules test arguments (see group()). */
const ARG_BLOCK_WEIGHT = 16;

export interface CompileOptions {
  /**
   * Relative frequency of a syscall, to put frequent ones near the root of the search tree.
   * Default: 1 for every syscall the ABI has (minimises the mean over all syscalls).
   */
  readonly weight?: (arch: string, nr: number) => number;
}

export interface CompileResult {
  readonly program: Insn[];
  /** Trampolines and return copies the layout had to insert for jumps past 255. */
  readonly trampolines: number;
}

/** ABIs that share one AUDIT_ARCH value, in policy order. */
interface Group {
  readonly auditArch: number;
  readonly members: readonly ArchPlan[];
}

function groups(plan: Plan): Group[] {
  const out: { auditArch: number; members: ArchPlan[] }[] = [];
  for (const a of plan.arches) {
    const g = out.find((x) => x.auditArch === a.target.auditArch);
    if (g) g.members.push(a);
    else out.push({ auditArch: a.target.auditArch, members: [a] });
  }
  for (const g of out) {
    // Two ABIs behind one AUDIT_ARCH value are only told apart by a syscall bit (x86_64/x32).
    const withBit = g.members.filter((m) => m.target.syscallBit !== 0).length;
    if (g.members.length > 2 || (g.members.length === 2 && withBit !== 1)) {
      throw new PolicyError(
        `arches: ${g.members.map((m) => m.target.name).join(' and ')} share AUDIT_ARCH 0x${g.auditArch.toString(16)} and no syscall bit tells them apart`,
      );
    }
  }
  return out;
}

/** Which ABI (or bad-arch) owns each stretch of the unsigned syscall-number space of a group. */
function regions(group: Group): { lo: number; hi: number; abi: ArchPlan | undefined }[] {
  const primary = group.members.find((m) => m.target.syscallBit === 0);
  const secondary = group.members.find((m) => m.target.syscallBit !== 0);
  const bit =
    secondary?.target.syscallBit ?? (primary && primary.target.name === 'x86_64' ? X32_SYSCALL_BIT : 0);
  if (bit === 0) return [{ lo: 0, hi: SKIPPED, abi: primary }];
  // -1 (a tracer's skip) is not an x32 number; it goes to the first ABI of the pair the policy lists.
  return [
    { lo: 0, hi: bit - 1, abi: primary },
    { lo: bit, hi: SKIPPED - 1, abi: secondary },
    { lo: SKIPPED, hi: SKIPPED, abi: group.members[0] },
  ];
}

class Compilation {
  readonly g = new Graph();
  private readonly blocks = new Map<string, NodeId>();

  constructor(
    private readonly plan: Plan,
    private readonly opts: CompileOptions,
    private readonly perGroupReturns: boolean,
  ) {}

  private outcome(abi: ArchPlan, entries: readonly Entry[], scope: string): NodeId {
    const t = abi.target;
    const constant = constantOutcome(entries, t, this.plan.defaultAction);
    if (constant !== undefined) return this.g.ret(constant, scope);
    const live = liveEntries(entries, t, this.plan.defaultAction);
    const key = `${scope}|${t.argBits}${t.littleEndian ? 'le' : 'be'}|${JSON.stringify(live, (_k, v) =>
      typeof v === 'bigint' ? v.toString(16) : v,
    )}`;
    let id = this.blocks.get(key);
    if (id === undefined) {
      id = emitEntries(this.g, live, t, this.plan.defaultAction, scope);
      this.blocks.set(key, id);
    }
    return id;
  }

  private weightOf(t: ArchTarget, lo: number, hi: number, known: readonly number[]): number {
    let w = 0.05; // every range costs something, so rare numbers are not pushed arbitrarily deep
    // From the first number >= lo (a linear scan from the start made compiling sb's filter
    // quadratic: 50 ms of every start-up), summed in the same order as before.
    let i = 0;
    let j = known.length;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if ((known[mid] as number) < lo) i = mid + 1;
      else j = mid;
    }
    for (; i < known.length; i++) {
      const nr = known[i] as number;
      if (nr > hi) break;
      w += this.opts.weight ? this.opts.weight(t.name, nr) : 1;
    }
    return w;
  }

  /** The search tree over one AUDIT_ARCH value's syscall numbers; expects nothing in A. */
  group(group: Group, scope: string): NodeId {
    const ranges: NrRange[] = [];
    const bad = this.g.ret(this.plan.badArchAction, scope);
    for (const region of regions(group)) {
      const abi = region.abi;
      if (!abi) {
        ranges.push({ lo: region.lo, hi: region.hi, to: bad, weight: 0.05 });
        continue;
      }
      const known = [...abi.target.byNr.keys()].sort((a, b) => a - b);
      const dflt = this.g.ret(this.plan.defaultAction, scope);
      let at = region.lo;
      const named = [...abi.entries.keys()]
        .filter((nr) => nr >= region.lo && nr <= region.hi)
        .sort((a, b) => a - b);
      for (const nr of named) {
        if (nr > at)
          ranges.push({ lo: at, hi: nr - 1, to: dflt, weight: this.weightOf(abi.target, at, nr - 1, known) });
        const to = this.outcome(abi, abi.entries.get(nr) as Entry[], scope);
        // Argument checks make this path longer: lift it up the tree, so that the worst case
        // (dispatch + checks) stays short, not only the mean.
        const extra = this.g.node(to).kind === 'ret' ? 0 : ARG_BLOCK_WEIGHT;
        ranges.push({ lo: nr, hi: nr, to, weight: this.weightOf(abi.target, nr, nr, known) + extra });
        at = nr + 1;
      }
      if (at <= region.hi) {
        ranges.push({
          lo: at,
          hi: region.hi,
          to: dflt,
          weight: this.weightOf(abi.target, at, region.hi, known),
        });
      }
    }
    const merged = mergeRanges(ranges);
    const root = buildSearchTree(this.g, merged);
    return merged.length > 1 ? this.g.ld(SECCOMP_DATA_NR, root) : root;
  }

  build(): NodeId {
    const gs = groups(this.plan);
    let next = this.g.ret(this.plan.badArchAction, this.perGroupReturns ? 'arch' : '');
    for (let i = gs.length - 1; i >= 0; i--) {
      const grp = gs[i] as Group;
      const body = this.group(grp, this.perGroupReturns ? `g${i}` : '');
      next = this.g.jmp(BPF_JEQ, grp.auditArch, body, next);
    }
    return this.g.ld(SECCOMP_DATA_ARCH, next);
  }
}

function attempt(plan: Plan, opts: CompileOptions, perGroupReturns: boolean): CompileResult {
  const c = new Compilation(plan, opts, perGroupReturns);
  const entry = optimize(c.g, c.build());
  return layout(c.g, entry);
}

/**
 * Compiles a policy to a seccomp filter, with statistics. The layout is tried with one
 * `ret` per action for the whole program and, when that needs trampolines, with one per
 * architecture; the better is kept. The result always passes the verifier.
 */
export function compileDetailed(policy: Policy, opts: CompileOptions = {}): CompileResult {
  const plan = normalize(policy);
  let best = attempt(plan, opts, false);
  if (best.trampolines > 0 && groups(plan).length > 1) {
    const other = attempt(plan, opts, true);
    if (
      other.trampolines < best.trampolines ||
      (other.trampolines === best.trampolines && other.program.length < best.program.length)
    ) {
      best = other;
    }
  }
  try {
    verify(best.program);
  } catch (e) {
    throw new Error(
      `internal compiler error: the generated program fails verification: ${(e as Error).message}`,
    );
  }
  return best;
}

/** Compiles a policy to a verified seccomp filter program. */
export function compile(policy: Policy, opts: CompileOptions = {}): Insn[] {
  return compileDetailed(policy, opts).program;
}
