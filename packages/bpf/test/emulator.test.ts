import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionEffect,
  actionName,
  emulate,
  emulateStack,
  seccompDataBytes,
  seccompDataWords,
} from '../src/emulator/index.js';
import { type Insn, SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS } from '../src/insn.js';
import { check } from '../src/verifier/index.js';
import { arbitraryProgram, validProgram } from './helpers/programs.js';

const X86_64 = 0xc000003e;
const PPC64 = 0x80000015; // big-endian: no __AUDIT_ARCH_LE bit
const I = (code: number, k = 0, jt = 0, jf = 0): Insn => ({ code, jt, jf, k: k >>> 0 });
const RET_A = I(0x16);
const data = { nr: 1, arch: X86_64 };

/** Runs `A = a; X = x; <op>; return A`. */
function alu(op: Insn, a: number, x = 0): number {
  return emulate([I(0x00, a), I(0x01, x), op, RET_A], data).action;
}

describe('emulate: ALU on 32-bit unsigned A and X', () => {
  const table: [string, Insn, number, number, number][] = [
    ['add wraps', I(0x04, 1), 0xffffffff, 0, 0],
    ['add X', I(0x0c), 5, 7, 12],
    ['sub wraps', I(0x14, 1), 0, 0, 0xffffffff],
    ['sub X', I(0x1c), 5, 7, 0xfffffffe],
    ['mul wraps', I(0x24, 0xffffffff), 0xffffffff, 0, 1],
    ['mul big', I(0x24, 0x10001), 0x10001, 0, 0x20001],
    ['div unsigned', I(0x34, 2), 0xffffffff, 0, 0x7fffffff],
    ['div X', I(0x3c), 100, 7, 14],
    ['div X by 0 returns 0', I(0x3c), 100, 0, 0],
    ['or', I(0x44, 0xf0), 0x0f, 0, 0xff],
    ['and X', I(0x5c), 0xff00ff, 0xf0f0f0, 0xf000f0],
    ['xor', I(0xa4, 0xffffffff), 0x12345678, 0, 0xedcba987],
    ['lsh 31', I(0x64, 31), 3, 0, 0x80000000],
    ['lsh X masks the count', I(0x6c), 3, 33, 6],
    ['rsh X masks the count', I(0x7c), 0x80000000, 63, 1],
    ['rsh is logical', I(0x74, 4), 0x80000000, 0, 0x08000000],
    ['neg', I(0x84), 1, 0, 0xffffffff],
    ['neg 0x80000000', I(0x84), 0x80000000, 0, 0x80000000],
  ];
  it.each(table)('%s', (_name, op, a, x, expected) => {
    expect(alu(op, a, x)).toBe(expected >>> 0);
  });

  it('division by X = 0 stops the program right there', () => {
    const r = emulate([I(0x00, 9), I(0x01, 0), I(0x3c), I(0x06, SECCOMP_RET_ALLOW)], data);
    expect(r).toEqual({ action: 0, trace: [0, 1, 2], executed: 3 });
  });
});

describe('emulate: loads from seccomp_data', () => {
  const d = { nr: -1, arch: X86_64, ip: 0x1122334455667788n, args: [0x0000000a0000000bn, -1n] };
  const load = (k: number, littleEndian?: boolean) =>
    emulate([I(0x20, k), RET_A], d, littleEndian === undefined ? {} : { littleEndian }).action;
  it.each([
    [0, 0xffffffff], // nr == -1 after a tracer skipped the call
    [4, X86_64],
    [8, 0x55667788],
    [12, 0x11223344],
    [16, 0x0b],
    [20, 0x0a],
    [24, 0xffffffff],
    [28, 0xffffffff],
    [32, 0],
    [60, 0],
  ])('little-endian word at %i', (k, v) => {
    expect(load(k)).toBe(v);
  });
  it('big-endian ABIs put the high half first', () => {
    expect(load(8, false)).toBe(0x11223344);
    expect(load(16, false)).toBe(0x0a);
    expect(load(20, false)).toBe(0x0b);
    // Inferred from the AUDIT_ARCH value when not given.
    expect(emulate([I(0x20, 16), RET_A], { ...d, arch: PPC64 }).action).toBe(0x0a);
  });
  it('len is sizeof(struct seccomp_data)', () => {
    expect(emulate([I(0x80), RET_A], d).action).toBe(64);
    expect(emulate([I(0x81), I(0x87), RET_A], d).action).toBe(64);
  });
  it('seccomp_data bytes match the words', () => {
    const bytes = seccompDataBytes(d, true);
    const view = new DataView(bytes.buffer);
    expect(view.getInt32(0, true)).toBe(-1);
    expect(view.getBigUint64(8, true)).toBe(0x1122334455667788n);
    expect(view.getBigUint64(24, true)).toBe((1n << 64n) - 1n);
    expect(Array.from(seccompDataWords(d, true))).toEqual(
      Array.from({ length: 16 }, (_, i) => view.getUint32(i * 4, true)),
    );
  });
});

describe('emulate: control flow and scratch memory', () => {
  it('takes jt/jf by unsigned comparison and records the trace', () => {
    const p = [
      I(0x00, 0x80000000),
      I(0x25, 1, 1, 0),
      I(0x06, 1),
      I(0x45, 0x80000000, 0, 1),
      I(0x06, 2),
      I(0x06, 3),
    ];
    expect(emulate(p, data)).toEqual({ action: 2, trace: [0, 1, 3, 4], executed: 4 });
  });
  it('jge, jeq X, ja', () => {
    const p = [
      I(0x00, 5),
      I(0x01, 5),
      I(0x1d, 0, 0, 1),
      I(0x05, 1),
      I(0x06, 9),
      I(0x35, 6, 0, 1),
      I(0x06, 8),
      I(0x06, 7),
    ];
    expect(emulate(p, data)).toEqual({ action: 7, trace: [0, 1, 2, 3, 5, 7], executed: 6 });
  });
  it('stores and loads scratch memory', () => {
    const p = [I(0x00, 42), I(0x02, 15), I(0x00, 0), I(0x61, 15), I(0x87), I(0x16)];
    expect(emulate(p, data).action).toBe(42);
  });
  it('faults (returning 0) on what the kernel would not load', () => {
    const cases: Insn[][] = [
      [I(0x60, 3), RET_A], // M[3] never written
      [I(0x20, 2), RET_A], // misaligned load
      [I(0x20, 64), RET_A], // outside seccomp_data
      [I(0x28, 0), RET_A], // 16-bit load
      [I(0x94, 3), RET_A], // BPF_MOD: classic BPF, but not seccomp
      [I(0x05, 5), RET_A], // jump past the end
      [I(0x00, 1)], // no return
    ];
    for (const p of cases) {
      const r = emulate(p, data);
      expect(r.action, JSON.stringify(p)).toBe(0);
      expect(r.fault, JSON.stringify(p)).toMatch(/./);
    }
  });
  it('never faults on a program the verifier accepts (property)', () => {
    fc.assert(
      fc.property(validProgram(40), fc.integer({ min: -1, max: 500 }), (p, nr) => {
        const r = emulate(p, { nr, arch: X86_64, args: [1n, 2n, 3n] });
        return (
          r.fault === undefined &&
          r.executed === r.trace.length &&
          r.trace.every((pc, i, t) => i === 0 || pc > t[i - 1]!)
        );
      }),
      { seed: 1, numRuns: 500 },
    );
  });
  it('faults only on programs the verifier rejects (property)', () => {
    fc.assert(
      fc.property(arbitraryProgram(12), (p) => {
        const r = emulate(p, data);
        return r.fault === undefined || !check(p).ok;
      }),
      { seed: 2, numRuns: 2000 },
    );
  });
});

describe('emulateStack: kernel precedence', () => {
  const ret = (k: number): Insn[] => [I(0x06, k)];
  const ERRNO = (n: number) => (SECCOMP_RET_ERRNO | n) >>> 0;
  const table: [string, number[], number, number][] = [
    ['all allow', [SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW], SECCOMP_RET_ALLOW, -1],
    ['allow data is ignored, plain ALLOW stays', [0x7fff0001], SECCOMP_RET_ALLOW, -1],
    ['errno beats allow', [SECCOMP_RET_ALLOW, ERRNO(1)], ERRNO(1), 1],
    ['kill_process beats everything', [ERRNO(1), SECCOMP_RET_KILL_PROCESS, 0], SECCOMP_RET_KILL_PROCESS, 1],
    ['kill_thread beats trap', [0x00030005, 0x00000000], 0, 1],
    ['tie: the most recently installed wins', [ERRNO(1), ERRNO(2)], ERRNO(2), 1],
    ['trace beats log', [0x7ffc0000, 0x7ff00007], 0x7ff00007, 1],
    ['unknown action 0x00010000 ranks between kill and trap', [0x00030000, 0x00010000], 0x00010000, 1],
  ];
  it.each(table)('%s', (_name, actions, expected, decidedBy) => {
    const r = emulateStack(
      actions.map((a) => ret(a)),
      data,
    );
    expect(r.action).toBe(expected);
    expect(r.decidedBy).toBe(decidedBy);
    expect(r.results.map((x) => x.action)).toEqual(actions.map((a) => a >>> 0));
  });
});

describe('actionName / actionEffect', () => {
  it.each([
    [0x7fff0000, 'ALLOW'],
    [0x7ffc0000, 'LOG'],
    [0x7fc00000, 'USER_NOTIF'],
    [0x00000000, 'KILL_THREAD'],
    [0x80000000, 'KILL_PROCESS'],
    [0x00050001, 'ERRNO(1)'],
    [0x0005ffff, 'ERRNO(65535)'],
    [0x00030000, 'TRAP(0)'],
    [0x7ff00005, 'TRACE(5)'],
    [0x7fff0001, '0x7fff0001'],
    [0x00010000, '0x00010000'],
  ])('%i -> %s', (v, name) => {
    expect(actionName(v)).toBe(name);
  });
  it('caps errno and treats unknown actions as KILL_PROCESS', () => {
    expect(actionEffect(0x0005ffff)).toEqual({ kind: 'errno', data: 4095 });
    expect(actionEffect(0x00010000).kind).toBe('kill_process');
    expect(actionEffect(0x7fff0001).kind).toBe('allow');
  });
});
