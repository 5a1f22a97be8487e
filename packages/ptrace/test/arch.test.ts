import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aarch64 } from '../src/arch/aarch64.js';
import type { AbiName } from '../src/arch/types.js';
import { viewFromRegs } from '../src/arch/types.js';
import { X86_64_REG_INDEX as R, x86_64 } from '../src/arch/x86_64.js';

function x86Image(regs: Partial<Record<keyof typeof R, bigint>>): DataView {
  const v = new DataView(new ArrayBuffer(27 * 8));
  for (const [name, value] of Object.entries(regs))
    v.setBigUint64(R[name as keyof typeof R] * 8, BigInt.asUintN(64, value), true);
  return v;
}

const SYSCALL = Uint8Array.of(0x0f, 0x05);
const INT80 = Uint8Array.of(0xcd, 0x80);
const ARGS64 = { rdi: 1n, rsi: 2n, rdx: 3n, r10: 4n, r8: 5n, r9: 6n };
const ARGS32 = { rbx: 0x1_0000_0011n, rcx: 12n, rdx: 13n, rsi: 14n, rdi: 15n, rbp: 16n };

describe('x86_64 register images', () => {
  it.each([
    // name, cs, insn, orig_rax, regs, abi, nr, args
    ['64-bit syscall', 0x33n, SYSCALL, 257n, ARGS64, 'x86_64', 257, [1n, 2n, 3n, 4n, 5n, 6n]],
    ['x32 syscall', 0x33n, SYSCALL, 0x40000000n | 2n, ARGS64, 'x32', 0x40000002, [1n, 2n, 3n, 4n, 5n, 6n]],
    ['int 0x80 from 64-bit', 0x33n, INT80, 5n, ARGS32, 'i386', 5, [0x11n, 12n, 13n, 14n, 15n, 16n]],
    ['32-bit process', 0x23n, null, 120n, ARGS32, 'i386', 120, [0x11n, 12n, 13n, 14n, 15n, 16n]],
    ['unknown instruction', 0x33n, Uint8Array.of(0x90, 0x90), 1n, ARGS64, null, -1, []],
    ['unreadable instruction', 0x33n, null, 1n, ARGS64, null, -1, []],
    ['unknown code segment', 0x2bn, SYSCALL, 1n, ARGS64, null, -1, []],
  ] as const)('%s', (_n, cs, insn, orig, args, abi, nr, want) => {
    const v = x86Image({ cs, orig_rax: orig, rip: 0x401000n, rsp: 0x7ffc0000n, ...args });
    const view = viewFromRegs(x86_64, v, insn);
    expect(view.abi).toBe(abi);
    expect(view.nr).toBe(nr);
    expect(view.args).toEqual(want);
    expect(view.ip).toBe(0x401000n);
    expect(view.sp).toBe(0x7ffc0000n);
    expect(x86_64.insnBytesNeeded(v)).toBe(cs === 0x23n ? 0 : 2);
  });

  it.each([
    ['x86_64', 0xfffffffffffffffen, -2n],
    ['x86_64', 0x7fffffffn, 0x7fffffffn],
    ['i386', 0xfffffffen, -2n],
    ['i386', 0xffffffff_00000005n, 5n],
  ] as const)('%s return value %s reads as %s', (abi, rax, want) => {
    expect(x86_64.ret(x86Image({ rax }), abi)).toBe(want);
  });

  it('orig_rax -1 reads as "no syscall" on every ABI', () => {
    const v = x86Image({ orig_rax: -1n });
    for (const abi of ['x86_64', 'i386', 'x32'] as const) expect(x86_64.nr(v, abi)).toBe(-1);
  });

  it('setArg/arg round-trip, 32-bit ABI truncated (property, seeded)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<AbiName>('x86_64', 'i386', 'x32'),
        fc.integer({ min: 0, max: 5 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (abi, i, value) => {
          const v = x86Image({});
          x86_64.setArg(v, abi, i, value);
          expect(x86_64.arg(v, abi, i)).toBe(abi === 'i386' ? BigInt.asUintN(32, value) : value);
          // Only that register changed.
          const others = [0, 1, 2, 3, 4, 5].filter((j) => j !== i).map((j) => x86_64.arg(v, abi, j));
          expect(others.every((o) => o === 0n)).toBe(true);
        },
      ),
      { seed: 1, numRuns: 300 },
    );
  });

  it('skipping a call: nr -1 and the return value', () => {
    const v = x86Image({ orig_rax: 83n, rax: -38n });
    x86_64.setNr(v, 'x86_64', -1);
    x86_64.setRet(v, 'x86_64', -13n);
    expect(v.getBigInt64(R.orig_rax * 8, true)).toBe(-1n);
    expect(x86_64.ret(v, 'x86_64')).toBe(-13n);
  });

  it('injection sets rip, rax, the six arguments and cancels a restart', () => {
    const v = x86Image({ orig_rax: 34n, rax: -514n, rip: 0x1234n });
    x86_64.setupInjection(v, 0x7f00n, 59, [1n, 2n, 3n]);
    expect(x86_64.ip(v)).toBe(0x7f00n);
    expect(v.getBigUint64(R.rax * 8, true)).toBe(59n);
    expect(v.getBigInt64(R.orig_rax * 8, true)).toBe(-1n);
    expect([R.rdi, R.rsi, R.rdx, R.r10, R.r8, R.r9].map((i) => v.getBigUint64(i * 8, true))).toEqual([
      1n,
      2n,
      3n,
      0n,
      0n,
      0n,
    ]);
  });

  it('refuses ABIs of other machines', () => {
    expect(() => x86_64.nr(x86Image({}), 'aarch64')).toThrow(/cannot handle ABI aarch64/);
  });
});

function a64Image(x: Record<number, bigint>, sp = 0n, pc = 0n): DataView {
  const v = new DataView(new ArrayBuffer(34 * 8));
  for (const [i, val] of Object.entries(x)) v.setBigUint64(Number(i) * 8, BigInt.asUintN(64, val), true);
  v.setBigUint64(31 * 8, sp, true);
  v.setBigUint64(32 * 8, pc, true);
  return v;
}

function armImage(r: Record<number, number>): DataView {
  const v = new DataView(new ArrayBuffer(18 * 4));
  for (const [i, val] of Object.entries(r)) v.setUint32(Number(i) * 4, val >>> 0, true);
  return v;
}

describe('aarch64 register images', () => {
  it('user_pt_regs: x8 is the number, x0..x5 the arguments', () => {
    const v = a64Image({ 0: 10n, 1: 11n, 2: 12n, 3: 13n, 4: 14n, 5: 15n, 8: 56n }, 0xfff0n, 0x4000n);
    expect(viewFromRegs(aarch64, v, null)).toEqual({
      abi: 'aarch64',
      nr: 56,
      args: [10n, 11n, 12n, 13n, 14n, 15n],
      ip: 0x4000n,
      sp: 0xfff0n,
    });
    expect(aarch64.nrInImage).toBe(false);
  });

  it('the return value is x0 (arg0 is gone at syscall exit)', () => {
    const v = a64Image({ 0: -2n });
    expect(aarch64.ret(v, 'aarch64')).toBe(-2n);
    aarch64.setRet(v, 'aarch64', -13n);
    expect(aarch64.arg(v, 'aarch64', 0)).toBe(BigInt.asUintN(64, -13n));
  });

  it('a 72-byte compat image is a 32-bit arm tracee: r7 number, r0..r5, pc r15', () => {
    const v = armImage({ 0: 1, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 7: 322, 13: 0xbeef0, 15: 0x8000 });
    expect(viewFromRegs(aarch64, v, null)).toEqual({
      abi: 'arm',
      nr: 322,
      args: [1n, 2n, 3n, 4n, 5n, 6n],
      ip: 0x8000n,
      sp: 0xbeef0n,
    });
    expect(aarch64.ret(armImage({ 0: -1 }), 'arm')).toBe(-1n);
  });

  it('any other image size is an unknown ABI, and mismatched ABIs throw', () => {
    expect(aarch64.abiOf(new DataView(new ArrayBuffer(100)), null)).toBeNull();
    expect(() => aarch64.nr(a64Image({}), 'arm')).toThrow(/is aarch64, not arm/);
  });

  it('injection sets pc, x8 and x0..x5', () => {
    const v = a64Image({ 0: 99n, 8: 1n });
    aarch64.setupInjection(v, 0x1000n, 221, [7n, 8n]);
    expect(aarch64.ip(v)).toBe(0x1000n);
    expect(aarch64.nr(v, 'aarch64')).toBe(221);
    expect([0, 1, 2].map((i) => aarch64.arg(v, 'aarch64', i))).toEqual([7n, 8n, 0n]);
  });
});

/** `#define __NR_name N` lines of a kernel uapi header. */
function headerNumbers(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of readFileSync(path, 'utf8').matchAll(
    /^#define __NR(?:3264)?_(\w+)\s+(?:\(__X32_SYSCALL_BIT \+ )?(\d+)/gm,
  ))
    out.set(m[1]!, Number(m[2]));
  return out;
}

// The numbers the engine injects or watches, checked against the installed kernel headers.
describe.each([
  ['x86_64', x86_64, 'x86_64', '/usr/include/x86_64-linux-gnu/asm/unistd_64.h', 0],
  ['i386', x86_64, 'i386', '/usr/include/x86_64-linux-gnu/asm/unistd_32.h', 0],
  ['x32', x86_64, 'x32', '/usr/include/x86_64-linux-gnu/asm/unistd_x32.h', 0x40000000],
  ['aarch64', aarch64, 'aarch64', '/usr/include/asm-generic/unistd.h', 0],
] as const)('%s numbers match the kernel headers', (_name, ops, abi, header, bit) => {
  const nrs = headerNumbers(header);
  const withBase = (n: number | undefined) => (n === undefined ? undefined : bit === 0 ? n : (n | bit) >>> 0);
  it('clone family', () => {
    const c = ops.clone[abi as AbiName]!;
    expect(c.clone).toBe(withBase(nrs.get('clone')));
    expect(c.clone3).toBe(withBase(nrs.get('clone3')));
    expect(c.fork).toBe(withBase(nrs.get('fork')) ?? null);
    expect(c.vfork).toBe(withBase(nrs.get('vfork')) ?? null);
  });
  if (abi === ops.nativeAbi) {
    it('injected calls', () => {
      for (const [name, nr] of Object.entries(ops.inject)) {
        const hdr = name === 'fcntl' ? (nrs.get('fcntl') ?? nrs.get('3264_fcntl')) : nrs.get(name);
        expect([name, nr]).toEqual([name, hdr]);
      }
    });
  }
});
