/** fast-check generators of seccomp programs: valid ones, mutated ones and arbitrary bytes. */
import fc from 'fast-check';
import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_DIV,
  BPF_IMM,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MISC,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  type Insn,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
} from '../../src/insn.js';
import { CLASSIC_OPCODES } from '../../src/verifier/rules.js';

export const ALU_K_OPS = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_OR, BPF_AND, BPF_XOR, BPF_LSH, BPF_RSH];
export const JMP_OPS = [BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET];

const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 2, 31, 32, 0x7fffffff, 0x80000000, 0xffffffff, 0x40000000, 0xc000003e),
  fc.integer({ min: 0, max: 64 }),
);

const action = fc.oneof(
  fc.constantFrom(SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS, 0, SECCOMP_RET_LOG),
  fc.integer({ min: 0, max: 0xffff }).map((d) => (SECCOMP_RET_ERRNO | d) >>> 0),
  fc.integer({ min: 0, max: 0xffff }).map((d) => (SECCOMP_RET_TRAP | d) >>> 0),
  fc.integer({ min: 0, max: 0xffff }).map((d) => (SECCOMP_RET_TRACE | d) >>> 0),
  u32,
);

const I = (code: number, k = 0, jt = 0, jf = 0): Insn => ({ code, jt, jf, k: k >>> 0 });

/** One seccomp-valid straight-line instruction (scratch reads are fixed up afterwards). */
const straight: fc.Arbitrary<Insn> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 15 }).map((w) => I(BPF_LD | BPF_W | BPF_ABS, w * 4)) },
  { weight: 2, arbitrary: u32.map((k) => I(BPF_LD | BPF_IMM, k)) },
  { weight: 2, arbitrary: u32.map((k) => I(BPF_LDX | BPF_IMM, k)) },
  { weight: 1, arbitrary: fc.constantFrom(I(BPF_LD | BPF_W | BPF_LEN), I(BPF_LDX | BPF_W | BPF_LEN)) },
  {
    weight: 4,
    arbitrary: fc.tuple(fc.constantFrom(...ALU_K_OPS), u32).map(([op, k]) => {
      if (op === BPF_DIV && k === 0) k = 3;
      if ((op === BPF_LSH || op === BPF_RSH) && k >= 32) k &= 31;
      return I(BPF_ALU | op | BPF_K, k);
    }),
  },
  { weight: 3, arbitrary: fc.constantFrom(...ALU_K_OPS).map((op) => I(BPF_ALU | op | BPF_X)) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(I(BPF_ALU | BPF_NEG), I(BPF_MISC | BPF_TAX), I(BPF_MISC | BPF_TXA)),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM),
        fc.integer({ min: 0, max: 15 }),
      )
      .map(([code, k]) => I(code, k)),
  },
);

type Slot =
  | { t: 'straight'; insn: Insn }
  | { t: 'jmp'; op: number; x: boolean; k: number; jt: number; jf: number }
  | { t: 'ja'; k: number }
  | { t: 'ret'; a: boolean; k: number };

const slot: fc.Arbitrary<Slot> = fc.oneof(
  { weight: 6, arbitrary: straight.map((insn) => ({ t: 'straight' as const, insn })) },
  {
    weight: 4,
    arbitrary: fc
      .record({ op: fc.constantFrom(...JMP_OPS), x: fc.boolean(), k: u32, jt: fc.nat(300), jf: fc.nat(300) })
      .map((r) => ({ t: 'jmp' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.nat(300).map((k) => ({ t: 'ja' as const, k })) },
  {
    weight: 2,
    arbitrary: fc.record({ a: fc.boolean(), k: action }).map((r) => ({ t: 'ret' as const, ...r })),
  },
);

function ret(a: boolean, k: number): Insn {
  return a ? I(BPF_RET | BPF_A) : I(BPF_RET | BPF_K, k);
}

/** Builds a program the kernel accepts: jumps clamped into range, reads of unwritten scratch turned into writes. */
function realize(slots: readonly Slot[], last: { a: boolean; k: number }): Insn[] {
  const n = slots.length + 1;
  const prog: Insn[] = slots.map((s, pc) => {
    const room = n - pc - 2; // furthest relative target that stays in the program
    if (s.t === 'straight') return s.insn;
    if (s.t === 'jmp') {
      return I(
        BPF_JMP | s.op | (s.x ? BPF_X : BPF_K),
        s.x ? 0 : s.k,
        Math.min(s.jt % 256, room),
        Math.min(s.jf % 256, room),
      );
    }
    if (s.t === 'ja') return I(BPF_JMP | BPF_JA, Math.min(s.k, room));
    return ret(s.a, s.k);
  });
  prog.push(ret(last.a, last.k));
  // Mirror check_load_and_stores: replace any load of scratch memory that may be unwritten by a store.
  for (let guard = 0; guard < n; guard++) {
    const bad = firstUninitRead(prog);
    if (bad === undefined) break;
    const insn = prog[bad]!;
    prog[bad] = I(insn.code === (BPF_LD | BPF_MEM) ? BPF_ST : BPF_STX, insn.k);
  }
  return prog;
}

function firstUninitRead(prog: readonly Insn[]): number | undefined {
  const masks = new Uint16Array(prog.length).fill(0xffff);
  let valid = 0;
  for (let pc = 0; pc < prog.length; pc++) {
    valid &= masks[pc]!;
    const { code, k, jt, jf } = prog[pc]!;
    if (code === BPF_ST || code === BPF_STX) valid |= 1 << k;
    else if (code === (BPF_LD | BPF_MEM) || code === (BPF_LDX | BPF_MEM)) {
      if ((valid & (1 << k)) === 0) return pc;
    } else if (code === (BPF_JMP | BPF_JA)) {
      masks[pc + 1 + k]! &= valid;
      valid = 0xffff;
    } else if ((code & 7) === BPF_JMP) {
      masks[pc + 1 + jt]! &= valid;
      masks[pc + 1 + jf]! &= valid;
      valid = 0xffff;
    }
  }
  return undefined;
}

/** Programs the kernel accepts, 1..maxLength instructions. */
export function validProgram(maxLength = 40): fc.Arbitrary<Insn[]> {
  return fc
    .tuple(fc.array(slot, { maxLength: maxLength - 1 }), fc.record({ a: fc.boolean(), k: action }))
    .map(([slots, last]) => realize(slots, last));
}

const anyInsn: fc.Arbitrary<Insn> = fc
  .record({
    code: fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...CLASSIC_OPCODES) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xff }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
    ),
    jt: fc.oneof(fc.nat(4), fc.nat(255)),
    jf: fc.oneof(fc.nat(4), fc.nat(255)),
    k: u32,
  })
  .map((r) => ({ ...r, k: r.k >>> 0 }));

/** Any bytes at all: arbitrary codes, offsets and immediates. */
export function arbitraryProgram(maxLength = 30): fc.Arbitrary<Insn[]> {
  return fc.array(anyInsn, { minLength: 0, maxLength });
}

type Mutation =
  | { t: 'code'; at: number; code: number }
  | { t: 'jt'; at: number; v: number }
  | { t: 'jf'; at: number; v: number }
  | { t: 'k'; at: number; v: number }
  | { t: 'drop'; at: number }
  | { t: 'insert'; at: number; insn: Insn }
  | { t: 'truncate'; len: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ t: fc.constant('code' as const), at: fc.nat(), code: anyInsn.map((i) => i.code) }),
  fc.record({ t: fc.constant('jt' as const), at: fc.nat(), v: fc.nat(255) }),
  fc.record({ t: fc.constant('jf' as const), at: fc.nat(), v: fc.nat(255) }),
  fc.record({ t: fc.constant('k' as const), at: fc.nat(), v: u32 }),
  fc.record({ t: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(), insn: anyInsn }),
  fc.record({ t: fc.constant('truncate' as const), len: fc.nat(50) }),
);

function mutate(prog: Insn[], muts: readonly Mutation[]): Insn[] {
  const p = [...prog];
  for (const m of muts) {
    if (m.t === 'truncate') {
      p.length = Math.min(p.length, m.len);
      continue;
    }
    if (m.t === 'insert') {
      p.splice(m.at % (p.length + 1), 0, m.insn);
      continue;
    }
    if (p.length === 0) continue;
    const at = m.at % p.length;
    const cur = p[at]!;
    if (m.t === 'drop') p.splice(at, 1);
    else if (m.t === 'code') p[at] = { ...cur, code: m.code };
    else if (m.t === 'jt') p[at] = { ...cur, jt: m.v };
    else if (m.t === 'jf') p[at] = { ...cur, jf: m.v };
    else p[at] = { ...cur, k: m.v >>> 0 };
  }
  return p;
}

/** A valid program with one to three mutations: most interesting for the verifier. */
export function mutatedProgram(maxLength = 40): fc.Arbitrary<Insn[]> {
  return fc
    .tuple(validProgram(maxLength), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([p, m]) => mutate(p, m));
}

/**
 * Programs that use scratch memory M[0..2] heavily, with jumps and early returns,
 * and are NOT fixed up: about half read a slot some path has not written. They
 * exercise check_load_and_stores() (including its quirks) against the kernel.
 */
export function scratchProgram(maxLength = 16): fc.Arbitrary<Insn[]> {
  const s: fc.Arbitrary<Slot> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.constantFrom(BPF_ST, BPF_STX, BPF_LD | BPF_MEM, BPF_LDX | BPF_MEM),
          fc.integer({ min: 0, max: 2 }),
        )
        .map(([code, k]) => ({ t: 'straight' as const, insn: I(code, k) })),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({ op: fc.constantFrom(...JMP_OPS), x: fc.boolean(), k: u32, jt: fc.nat(6), jf: fc.nat(6) })
        .map((r) => ({ t: 'jmp' as const, ...r })),
    },
    { weight: 1, arbitrary: fc.nat(6).map((k) => ({ t: 'ja' as const, k })) },
    { weight: 1, arbitrary: fc.constant({ t: 'ret' as const, a: false, k: SECCOMP_RET_ALLOW }) },
  );
  return fc.array(s, { minLength: 1, maxLength: maxLength - 1 }).map((slots) => {
    const n = slots.length + 1;
    const prog = slots.map((sl, pc): Insn => {
      const room = n - pc - 2;
      if (sl.t === 'straight') return sl.insn;
      if (sl.t === 'jmp')
        return I(BPF_JMP | sl.op | BPF_K, sl.k, Math.min(sl.jt, room), Math.min(sl.jf, room));
      if (sl.t === 'ja') return I(BPF_JMP | BPF_JA, Math.min(sl.k, room));
      return ret(false, SECCOMP_RET_ALLOW);
    });
    prog.push(ret(true, 0));
    return prog;
  });
}

/** A program the kernel rejects only because check_load_and_stores() carries its mask past returns. */
export const RET_FLOW_QUIRK: Insn[] = [
  I(BPF_LD | BPF_W | BPF_ABS, 0),
  I(0x15, 1, 0, 2),
  I(0x02, 0),
  I(0x15, 2, 2, 1),
  I(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  I(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  I(0x60, 0),
  I(0x16),
];
