import {
  BPF_ABS,
  BPF_JA,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_RET,
  BPF_ST,
  BPF_STX,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  type Insn,
} from '../insn.js';
import { isConditionalJump } from '../verifier/rules.js';

/** What a register or scratch slot holds, as far as naming constants is concerned. */
export type Content = 'nr' | 'arch' | 'other';

export interface FlowState {
  readonly a: Content;
  readonly x: Content;
  /** M[0..15]. */
  readonly m: readonly Content[];
  /** The AUDIT_ARCH value every path to here has checked, if they agree. */
  readonly arch: number | undefined;
}

const same = (p: Content, q: Content): Content => (p === q ? p : 'other');

function merge(s: FlowState | undefined, t: FlowState): FlowState {
  if (s === undefined) return t;
  return {
    a: same(s.a, t.a),
    x: same(s.x, t.x),
    m: s.m.map((c, i) => same(c, t.m[i]!)),
    arch: s.arch === t.arch ? s.arch : undefined,
  };
}

/** Follows nr and arch through A, X and scratch memory; anything computed is 'other'. */
function transfer(insn: Insn, s: FlowState): FlowState {
  const { code, k } = insn;
  const slot = k < BPF_MEMWORDS ? k : -1;
  const withSlot = (c: Content): Content[] => s.m.map((old, i) => (i === slot ? c : old));
  switch (code) {
    case BPF_LD | BPF_W | BPF_ABS:
      return { ...s, a: k === 0 ? 'nr' : k === 4 ? 'arch' : 'other' };
    case BPF_LD | BPF_MEM:
      return { ...s, a: s.m[slot] ?? 'other' };
    case BPF_LDX | BPF_MEM:
      return { ...s, x: s.m[slot] ?? 'other' };
    case BPF_ST:
      return { ...s, m: withSlot(s.a) };
    case BPF_STX:
      return { ...s, m: withSlot(s.x) };
    case BPF_MISC | BPF_TAX:
      return { ...s, x: s.a };
    case BPF_MISC | BPF_TXA:
      return { ...s, a: s.x };
  }
  const cls = code & 7;
  if (cls === BPF_LDX) return { ...s, x: 'other' };
  if (cls === BPF_JMP || cls === BPF_RET || cls === BPF_ST || cls === BPF_STX || cls === BPF_MISC) return s;
  return { ...s, a: 'other' };
}

/**
 * Forward data flow over the (forward-only) control flow graph: for each pc, what
 * A, X and M[] hold and which architecture the paths reaching it have checked.
 * Jumps out of the program are ignored. Unreachable instructions get undefined.
 */
export function analyzeFlow(program: readonly Insn[]): (FlowState | undefined)[] {
  const n = program.length;
  const state: (FlowState | undefined)[] = new Array(n).fill(undefined);
  if (n > 0) state[0] = { a: 'other', x: 'other', m: new Array(BPF_MEMWORDS).fill('other'), arch: undefined };
  const flow = (to: number, s: FlowState) => {
    if (to < n) state[to] = merge(state[to], s);
  };
  for (let pc = 0; pc < n; pc++) {
    const s = state[pc];
    if (s === undefined) continue;
    const insn = program[pc]!;
    const { code, k, jt, jf } = insn;
    if ((code & 7) === BPF_RET) continue;
    if (code === (BPF_JMP | BPF_JA)) {
      flow(pc + 1 + k, s);
      continue;
    }
    if (isConditionalJump(code)) {
      const taken = code === (BPF_JMP | BPF_JEQ | BPF_K) && s.a === 'arch' ? { ...s, arch: k >>> 0 } : s;
      flow(pc + 1 + jt, taken);
      flow(pc + 1 + jf, s);
      continue;
    }
    flow(pc + 1, transfer(insn, s));
  }
  return state;
}
