import { BPF_JEQ, BPF_JGE } from '../insn.js';
import type { Graph, NodeId } from './ir.js';

/** A run of syscall numbers [lo, hi] (unsigned) that all lead to the same node. */
export interface NrRange {
  readonly lo: number;
  readonly hi: number;
  readonly to: NodeId;
  /** How much a comparison on the path to this range costs overall (e.g. how many syscalls it holds). */
  readonly weight: number;
}

/** Merges neighbours that lead to the same node. */
export function mergeRanges(ranges: readonly NrRange[]): NrRange[] {
  const out: NrRange[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && last.to === r.to && last.hi + 1 === r.lo) {
      out[out.length - 1] = { lo: last.lo, hi: r.hi, to: r.to, weight: last.weight + r.weight };
    } else out.push(r);
  }
  return out;
}

type Plan =
  | { kind: 'leaf' }
  | { kind: 'split'; at: number }
  /** `jeq` chain on single numbers, the rest of the interval going to one node. */
  | { kind: 'peel'; singles: number[]; rest: NodeId };

/**
 * Builds the comparison tree over sorted, merged ranges that minimises the weighted number
 * of comparisons (an optimal alphabetic tree, Knuth's O(n^2) DP), with one refinement cBPF
 * allows: in a short interval where everything but one or two single numbers goes to the
 * same place, `jeq` on those numbers beats two-sided splits. Returns the root node; the
 * tree expects A to hold the syscall number.
 */
export function buildSearchTree(g: Graph, ranges: readonly NrRange[]): NodeId {
  const n = ranges.length;
  if (n === 0) throw new Error('internal: empty dispatch');
  if (n === 1) return (ranges[0] as NrRange).to;
  const prefix = new Float64Array(n + 1);
  ranges.forEach((r, i) => {
    prefix[i + 1] = (prefix[i] as number) + r.weight;
  });
  const W = (i: number, j: number): number => (prefix[j + 1] as number) - (prefix[i] as number);
  const cost = new Float64Array(n * n);
  const root = new Int32Array(n * n);
  // A split's plan is root[] itself; only the (few) peel plans need objects. One object
  // per interval cost a quarter of sb's start-up in allocation and GC on large policies.
  const peels = new Map<number, Extract<Plan, { kind: 'peel' }>>();
  for (let i = 0; i < n; i++) {
    root[i * n + i] = i;
  }
  for (let len = 2; len <= n; len++) {
    for (let i = 0; i + len - 1 < n; i++) {
      const j = i + len - 1;
      // Split "A >= lo(m)": left [i, m-1], right [m, j]; Knuth's bound on m.
      const lo = Math.max(i + 1, root[i * n + (j - 1)] as number);
      const hi = Math.min(j, Math.max(lo, root[(i + 1) * n + j] as number));
      let best = Number.POSITIVE_INFINITY;
      let bestM = i + 1;
      for (let m = lo; m <= hi; m++) {
        const c = (cost[i * n + (m - 1)] as number) + (cost[m * n + j] as number);
        if (c < best) {
          best = c;
          bestM = m;
        }
      }
      root[i * n + j] = bestM;
      let total = best + W(i, j);
      if (len <= 5) {
        const peel = peelPlan(ranges, i, j);
        if (peel && peel.cost < total) {
          total = peel.cost;
          peels.set(i * n + j, peel.plan);
        }
      }
      cost[i * n + j] = total;
    }
  }
  const emit = (i: number, j: number): NodeId => {
    if (i === j) return (ranges[i] as NrRange).to;
    const plan: Plan = peels.get(i * n + j) ?? { kind: 'split', at: root[i * n + j] as number };
    if (plan.kind === 'peel') {
      let node = plan.rest;
      for (let s = plan.singles.length - 1; s >= 0; s--) {
        const r = ranges[plan.singles[s] as number] as NrRange;
        node = g.jmp(BPF_JEQ, r.lo, r.to, node);
      }
      return node;
    }
    if (plan.kind === 'split') {
      const right = emit(plan.at, j);
      const left = emit(i, plan.at - 1);
      return g.jmp(BPF_JGE, (ranges[plan.at] as NrRange).lo, right, left);
    }
    return (ranges[i] as NrRange).to;
  };
  return emit(0, n - 1);
}

/** The jeq-chain plan for ranges[i..j] when all but one or two single-number ranges share a target. */
function peelPlan(
  ranges: readonly NrRange[],
  i: number,
  j: number,
): { cost: number; plan: Extract<Plan, { kind: 'peel' }> } | undefined {
  // The background target is the one of the interval's first or last range.
  for (const bg of [(ranges[i] as NrRange).to, (ranges[j] as NrRange).to]) {
    const singles: number[] = [];
    let ok = true;
    let total = 0;
    for (let k = i; k <= j; k++) {
      const r = ranges[k] as NrRange;
      total += r.weight;
      if (r.to === bg) continue;
      if (r.lo !== r.hi || singles.length === 2) {
        ok = false;
        break;
      }
      singles.push(k);
    }
    if (!ok || singles.length === 0) continue;
    singles.sort((a, b) => (ranges[b] as NrRange).weight - (ranges[a] as NrRange).weight);
    let cost = 0;
    let left = total;
    for (const s of singles) {
      cost += left;
      left -= (ranges[s] as NrRange).weight;
    }
    return { cost, plan: { kind: 'peel', singles, rest: bg } };
  }
  return undefined;
}
