import { argOffsets, BPF_JEQ, BPF_JGE, BPF_JGT } from '../insn.js';
import type { ArchTarget } from './arches.js';
import type { Graph, NodeId } from './ir.js';
import type { Entry } from './normalize.js';
import type { ArgCondition } from './types.js';

const U32 = 0xffffffff;
const MAX64 = (1n << 64n) - 1n;

/** A condition that is true or false whatever the argument, or undefined when it depends on it. */
function constantTruth(c: ArgCondition, bits: 32 | 64): boolean | undefined {
  const max = bits === 64 ? MAX64 : 0xffffffffn;
  const v = c.value;
  switch (c.op) {
    case '>=':
      return v === 0n ? true : v > max ? false : undefined;
    case '<':
      return v === 0n ? false : v > max ? true : undefined;
    case '>':
      return v >= max ? false : undefined;
    case '<=':
      return v >= max ? true : undefined;
    case '==':
      return v > max ? false : undefined;
    case '!=':
      return v > max ? true : undefined;
    case 'masked==': {
      const m = (c.mask ?? 0n) & max;
      if ((v & ~m) !== 0n) return false; // bits the mask clears can never equal 1
      return m === 0n ? true : undefined;
    }
  }
}

/**
 * Emits one condition on 32-bit word(s): `ok` and `fail` are where to go. On 64-bit ABIs the
 * upper half decides first (unsigned order); the lower half only when the upper halves are equal.
 */
function emitCondition(g: Graph, c: ArgCondition, t: ArchTarget, ok: NodeId, fail: NodeId): NodeId {
  const { lo, hi } = argOffsets(c.index, t.littleEndian);
  const vl = Number(c.value & 0xffffffffn);
  const vh = Number((c.value >> 32n) & 0xffffffffn);
  const wide = t.argBits === 64;
  switch (c.op) {
    case '==': {
      const low = g.ld(lo, g.jmp(BPF_JEQ, vl, ok, fail));
      return wide ? g.ld(hi, g.jmp(BPF_JEQ, vh, low, fail)) : low;
    }
    case '!=': {
      const low = g.ld(lo, g.jmp(BPF_JEQ, vl, fail, ok));
      return wide ? g.ld(hi, g.jmp(BPF_JEQ, vh, low, ok)) : low;
    }
    case 'masked==': {
      const m = c.mask ?? 0n;
      const ml = Number(m & 0xffffffffn);
      const mh = Number((m >> 32n) & 0xffffffffn);
      const half = (off: number, mask: number, v: number, next: NodeId): NodeId => {
        if (mask === 0) return next; // v is 0 here, checked by constantTruth
        const test = g.jmp(BPF_JEQ, v, next, fail);
        return g.ld(off, mask === U32 ? test : g.and(mask, test));
      };
      const low = half(lo, ml, vl, ok);
      return wide ? half(hi, mh, vh, low) : low;
    }
    default: {
      // Orders: a > v, a >= v succeed on `ok`; a < v is !(a >= v), a <= v is !(a > v).
      const positive = c.op === '>' || c.op === '>=';
      const yes = positive ? ok : fail;
      const no = positive ? fail : ok;
      const strict = c.op === '>' || c.op === '<=';
      // Lower half, reached when the upper halves are equal (or on 32-bit ABIs).
      let low: NodeId;
      if (!strict && vl === 0)
        low = yes; // a >= (x:0) once the upper halves are equal
      else if (strict && vl === U32) low = no;
      else low = g.ld(lo, g.jmp(strict ? BPF_JGT : BPF_JGE, vl, yes, no));
      if (!wide) return low;
      // Upper half: greater -> yes, equal -> low, less -> no.
      if (vh === U32) return g.ld(hi, g.jmp(BPF_JEQ, vh, low, no));
      const eq = vh === 0 ? low : g.jmp(BPF_JEQ, vh, low, no);
      return g.ld(hi, g.jmp(BPF_JGT, vh, yes, eq));
    }
  }
}

/**
 * The code for one syscall's rules: each entry's conditions in order (all must hold), the
 * first entry that holds returns its action, and the default action when none does.
 * Jump threading (ir.ts) later removes the reloads and re-tests between entries.
 */
export function emitEntries(
  g: Graph,
  entries: readonly Entry[],
  t: ArchTarget,
  defaultAction: number,
  scope: string,
): NodeId {
  let next = g.ret(defaultAction, scope);
  for (let e = entries.length - 1; e >= 0; e--) {
    const entry = entries[e] as Entry;
    const conds = entry.conds.filter((c) => constantTruth(c, t.argBits) !== true);
    if (conds.some((c) => constantTruth(c, t.argBits) === false)) continue;
    let node = g.ret(entry.action, scope);
    if (conds.length === 0) {
      next = node;
      continue;
    }
    const fail = next;
    for (let c = conds.length - 1; c >= 0; c--)
      node = emitCondition(g, conds[c] as ArgCondition, t, node, fail);
    next = node;
  }
  return next;
}

/** The outcome of a syscall's rules when it does not depend on arguments: an action, or undefined. */
export function constantOutcome(
  entries: readonly Entry[],
  t: ArchTarget,
  defaultAction: number,
): number | undefined {
  const live: Entry[] = [];
  for (const entry of entries) {
    const conds = entry.conds.filter((c) => constantTruth(c, t.argBits) !== true);
    if (conds.some((c) => constantTruth(c, t.argBits) === false)) continue;
    live.push({ conds, action: entry.action });
    if (conds.length === 0) break;
  }
  // Trailing entries that return the default change nothing.
  while (live.length && (live[live.length - 1] as Entry).action >>> 0 === defaultAction >>> 0) live.pop();
  if (live.length === 0) return defaultAction >>> 0;
  const first = live[0] as Entry;
  if (first.conds.length === 0) return first.action >>> 0;
  if (live.every((e) => e.action >>> 0 === first.action >>> 0) && live.some((e) => e.conds.length === 0)) {
    return first.action >>> 0;
  }
  return undefined;
}

/** Entries reduced the same way as constantOutcome, for sharing identical argument blocks. */
export function liveEntries(entries: readonly Entry[], t: ArchTarget, defaultAction: number): Entry[] {
  const live: Entry[] = [];
  for (const entry of entries) {
    const conds = entry.conds.filter((c) => constantTruth(c, t.argBits) !== true);
    if (conds.some((c) => constantTruth(c, t.argBits) === false)) continue;
    live.push({ conds, action: entry.action });
    if (conds.length === 0) break;
  }
  while (live.length && (live[live.length - 1] as Entry).action >>> 0 === defaultAction >>> 0) live.pop();
  return live;
}
