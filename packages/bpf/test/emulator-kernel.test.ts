/**
 * The emulator against the real kernel: random filters (valid by construction)
 * are installed in a child, which then makes a syscall with random arguments;
 * what the syscall gets (return value, errno, SIGSYS handler data, death by
 * SIGSYS) must be what the emulator's action predicts. Stacked filters too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actionEffect, emulate, emulateStack } from '../src/emulator/index.js';
import {
  BPF_A,
  BPF_ABS,
  BPF_ALU,
  BPF_AND,
  BPF_JA,
  BPF_JEQ,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_W,
  type Insn,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
} from '../src/insn.js';
import { verify } from '../src/verifier/index.js';
import { validProgram } from './helpers/programs.js';
import { kernelRun, type RunCase, type RunOutcome } from './helpers/seccomp-runner.js';

const AUDIT_ARCH_X86_64 = 0xc000003e;
const NR_GETPPID = 110; // x86_64
const ENOSYS = 38;
const SIGSYS = 31;

const I = (code: number, k = 0, jt = 0, jf = 0): Insn => ({ code, jt, jf, k: k >>> 0 });

/** Only getppid meets the body; every other syscall (the child's write and exit) is allowed. */
function guarded(body: readonly Insn[]): Insn[] {
  return [
    I(BPF_LD | BPF_W | BPF_ABS, 0),
    I(BPF_JMP | BPF_JEQ | BPF_K, NR_GETPPID, 1, 0),
    I(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    ...body,
  ];
}

/** The instruction pointer is not under the test's control: load the syscall number instead. */
function withoutIp(p: readonly Insn[]): Insn[] {
  return p.map((insn) =>
    insn.code === (BPF_LD | BPF_W | BPF_ABS) && (insn.k === 8 || insn.k === 12) ? { ...insn, k: 0 } : insn,
  );
}

/** Every `return A` becomes a jump to a tail returning ERRNO(one 12-bit slice of A), so A shows in errno. */
function revealA(p: readonly Insn[], shift: number): Insn[] {
  const tail = p.length;
  const body = p.map((insn, pc) =>
    insn.code === (BPF_RET | BPF_A) ? I(BPF_JMP | BPF_JA, tail - pc - 1) : insn,
  );
  return [
    ...body,
    I(BPF_ALU | BPF_RSH | BPF_K, shift),
    I(BPF_ALU | BPF_AND | BPF_K, 0xfff),
    I(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
    I(BPF_RET | BPF_A),
  ];
}

function predicted(action: number): RunOutcome | 'allowed' {
  const e = actionEffect(action);
  switch (e.kind) {
    case 'allow':
    case 'log':
      return 'allowed';
    case 'errno':
      return e.data === 0 ? { kind: 'ret', value: 0 } : { kind: 'errno', errno: e.data };
    case 'trap':
      return { kind: 'trap', data: e.data, nr: NR_GETPPID };
    case 'trace':
    case 'user_notif':
      return { kind: 'errno', errno: ENOSYS }; // no tracer, no listener
    case 'kill_thread':
    case 'kill_process':
      return { kind: 'signal', signal: SIGSYS };
  }
}

function agree(outcome: RunOutcome, expected: RunOutcome | 'allowed'): boolean {
  if (expected === 'allowed') return outcome.kind === 'ret' && outcome.value > 0;
  return JSON.stringify(outcome) === JSON.stringify(expected);
}

const u64 = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 1n << 63n, (1n << 64n) - 1n),
);

// Forks one child per case: seconds on an idle machine, much more on a loaded CI runner.
describe.runIf(process.arch === 'x64')(
  'emulator predictions equal the kernel (x86_64)',
  { timeout: 240_000 },
  () => {
    it('for random filters and random arguments', () => {
      const bodies = fc.sample(validProgram(30), { seed: 4242, numRuns: 160 });
      const argSets = fc.sample(fc.array(u64, { minLength: 6, maxLength: 6 }), { seed: 4343, numRuns: 160 });
      const cases: RunCase[] = [];
      bodies.forEach((body, i) => {
        for (const shift of [0, 12, 20]) {
          const filter = guarded(revealA(withoutIp(body), shift));
          verify(filter);
          cases.push({ filters: [filter], nr: NR_GETPPID, args: argSets[i]! });
        }
      });
      const outcomes = kernelRun(cases);
      const bad: string[] = [];
      const kinds = new Set<string>();
      cases.forEach((c, i) => {
        const r = emulate(c.filters[0]!, { nr: c.nr, arch: AUDIT_ARCH_X86_64, args: c.args ?? [] });
        expect(r.fault).toBeUndefined();
        const exp = predicted(r.action);
        kinds.add(outcomes[i]!.kind);
        if (!agree(outcomes[i]!, exp))
          bad.push(`case ${i}: kernel ${JSON.stringify(outcomes[i])}, emulator ${JSON.stringify(exp)}`);
      });
      expect(bad.slice(0, 5)).toEqual([]);
      expect([...kinds].sort()).toEqual(['errno', 'ret', 'signal', 'trap']);
    });

    it('for stacked filters (precedence and ties)', () => {
      const stacks = fc.sample(fc.array(validProgram(12), { minLength: 2, maxLength: 4 }), {
        seed: 77,
        numRuns: 150,
      });
      const argSets = fc.sample(fc.array(u64, { minLength: 6, maxLength: 6 }), { seed: 78, numRuns: 150 });
      const cases: RunCase[] = stacks.map((stack, i) => ({
        filters: stack.map((p) => guarded(withoutIp(p))),
        nr: NR_GETPPID,
        args: argSets[i]!,
      }));
      const outcomes = kernelRun(cases);
      const bad: string[] = [];
      cases.forEach((c, i) => {
        const r = emulateStack(c.filters, { nr: c.nr, arch: AUDIT_ARCH_X86_64, args: c.args ?? [] });
        const exp = predicted(r.action);
        if (!agree(outcomes[i]!, exp))
          bad.push(`case ${i}: kernel ${JSON.stringify(outcomes[i])}, emulator ${JSON.stringify(exp)}`);
      });
      expect(bad.slice(0, 5)).toEqual([]);
    });

    it('for the corners: division by X = 0, shifts by X >= 32, ERRNO above MAX_ERRNO, args halves', () => {
      const errnoOfA = [
        I(BPF_ALU | BPF_AND | BPF_K, 0xfff),
        I(BPF_ALU | BPF_OR | BPF_K, SECCOMP_RET_ERRNO),
        I(BPF_RET | BPF_A),
      ];
      const table: { name: string; body: Insn[]; args?: bigint[] }[] = [
        // A = 7; X = 0; A /= X  -> the filter returns 0 (KILL_THREAD)
        { name: 'div by X=0', body: [I(0x00, 7), I(0x01, 0), I(0x3c), ...errnoOfA] },
        // A = 3; X = 33; A <<= X -> 3 << 1
        { name: 'lsh by X=33', body: [I(0x00, 3), I(0x01, 33), I(0x6c), ...errnoOfA] },
        // A = 0x800; X = 35; A >>= X -> 0x800 >> 3
        { name: 'rsh by X=35', body: [I(0x00, 0x800), I(0x01, 35), I(0x7c), ...errnoOfA] },
        { name: 'ERRNO(5000) is capped', body: [I(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 5000)] },
        { name: 'args[1] low half', body: [I(0x20, 24), ...errnoOfA], args: [0n, 0xabc00000123n] },
        { name: 'args[1] high half', body: [I(0x20, 28), ...errnoOfA], args: [0n, 0xabc00000123n] },
        // A = len -> 64
        { name: 'len', body: [I(0x80), ...errnoOfA] },
      ];
      const cases = table.map((t) => ({ filters: [guarded(t.body)], nr: NR_GETPPID, args: t.args ?? [] }));
      const outcomes = kernelRun(cases);
      const rows = table.map((t, i) => {
        const r = emulate(cases[i]!.filters[0]!, {
          nr: NR_GETPPID,
          arch: AUDIT_ARCH_X86_64,
          args: t.args ?? [],
        });
        return { name: t.name, kernel: outcomes[i], emulator: predicted(r.action) };
      });
      expect(rows.map((r) => ({ name: r.name, same: agree(r.kernel!, r.emulator) }))).toEqual(
        rows.map((r) => ({ name: r.name, same: true })),
      );
      expect(outcomes.map((o) => o)).toEqual([
        { kind: 'signal', signal: SIGSYS },
        { kind: 'errno', errno: 6 },
        { kind: 'errno', errno: 0x100 },
        { kind: 'errno', errno: 4095 },
        { kind: 'errno', errno: 0x123 },
        { kind: 'errno', errno: 0xabc },
        { kind: 'errno', errno: 64 },
      ]);
    });
  },
);
