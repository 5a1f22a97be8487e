import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/index.js';
import { formatProgram, fromHex, opcodeMacros, parseProgram, toCArray, toHex } from '../src/format/index.js';
import { encode, type Insn, jump, stmt } from '../src/insn.js';
import { arbitraryProgram, validProgram } from './helpers/programs.js';

const sample: Insn[] = [
  stmt(0x20, 4),
  jump(0x15, 0xc000003e, 1, 0),
  stmt(0x06, 0x80000000),
  stmt(0x06, 0x7fff0000),
];

describe('hex', () => {
  it('one instruction per line, 16 digits', () => {
    expect(toHex(sample, true)).toBe(
      ['2000000004000000', '150001003e0000c0', '0600000000000080', '060000000000ff7f', ''].join('\n'),
    );
    expect(toHex(sample, false).split('\n')[1]).toBe('00150100c000003e');
  });
  it('parses back, ignoring whitespace and comments', () => {
    expect(fromHex('20000000 04000000  # A = arch\n 0600 0000 0000ff7f\n', true)).toEqual([
      sample[0],
      sample[3],
    ]);
    fc.assert(
      fc.property(arbitraryProgram(20), fc.boolean(), (p, le) => {
        expect(fromHex(toHex(p, le), le)).toEqual(p);
      }),
      { seed: 21, numRuns: 300 },
    );
  });
  it('says what is wrong with bad hex', () => {
    expect(() => fromHex('2000zz')).toThrow(/'z', which is not a hex digit/);
    expect(() => fromHex('200000000400')).toThrow(/12 digits; each instruction is 16 digits/);
  });
});

describe('raw', () => {
  it('is the kernel layout', () => {
    const raw = formatProgram(sample, 'raw', { littleEndian: true }) as Uint8Array;
    expect(Buffer.from(raw).toString('hex')).toBe(toHex(sample, true).replace(/\n/g, ''));
    expect(parseProgram(raw, 'raw', { littleEndian: true })).toEqual(sample);
    expect(() => parseProgram(new Uint8Array(9), 'raw')).toThrow(/9 bytes is not a multiple of 8/);
  });
  it('uses the byte order of --arch', () => {
    const be = formatProgram(sample, 'raw', { arch: 's390x' }) as Uint8Array;
    expect(Buffer.from(be.subarray(0, 8)).toString('hex')).toBe('0020000000000004');
  });
});

describe('C array', () => {
  it('spells opcodes with the <linux/filter.h> macros', () => {
    expect(opcodeMacros(0x20)).toBe('BPF_LD | BPF_W | BPF_ABS');
    expect(opcodeMacros(0x00)).toBe('BPF_LD | BPF_IMM');
    expect(opcodeMacros(0x61)).toBe('BPF_LDX | BPF_MEM');
    expect(opcodeMacros(0xb1)).toBe('BPF_LDX | BPF_B | BPF_MSH');
    expect(opcodeMacros(0x02)).toBe('BPF_ST');
    expect(opcodeMacros(0x84)).toBe('BPF_ALU | BPF_NEG');
    expect(opcodeMacros(0x9c)).toBe('BPF_ALU | BPF_MOD | BPF_X');
    expect(opcodeMacros(0x05)).toBe('BPF_JMP | BPF_JA');
    expect(opcodeMacros(0x45)).toBe('BPF_JMP | BPF_JSET | BPF_K');
    expect(opcodeMacros(0x16)).toBe('BPF_RET | BPF_A');
    expect(opcodeMacros(0x87)).toBe('BPF_MISC | BPF_TXA');
    expect(opcodeMacros(0xff)).toBe('0xff');
  });

  it('compiles with gcc to exactly the same bytes', () => {
    const programs = [
      ...fc.sample(validProgram(40), { seed: 31, numRuns: 20 }),
      ...fc.sample(arbitraryProgram(20), { seed: 32, numRuns: 20 }),
      assemble(
        'A = arch\nif (A == AUDIT_ARCH_X86_64) goto ok\nreturn KILL\nok: return ERRNO(1) # */ sneaky',
        {},
      ),
    ];
    const dir = mkdtempSync(join(tmpdir(), 'sb-bpf-c-'));
    const units = programs.map((p, i) =>
      (formatProgram(p, 'c', { name: `f${i}` }) as string).replace('#include <linux/filter.h>\n', ''),
    );
    const main = [
      '#include <linux/filter.h>',
      '#include <stdio.h>',
      ...units,
      'int main(void) {',
      ...programs.map((_, i) => `  fwrite(f${i}, sizeof f${i}[0], f${i}_prog.len, stdout);`),
      '  return 0;',
      '}',
    ].join('\n');
    writeFileSync(join(dir, 'prog.c'), main);
    execFileSync('gcc', ['-Wall', '-Werror', '-o', join(dir, 'prog'), join(dir, 'prog.c')]);
    const out = execFileSync(join(dir, 'prog'));
    const expected = Buffer.concat(programs.map((p) => encode(p, true)));
    expect(out.equals(expected)).toBe(true);
  });

  it('rejects a name that is not a C identifier', () => {
    expect(() => toCArray(sample, { name: 'my filter' })).toThrow(/not a C identifier/);
  });
});

describe('text', () => {
  it('is the disassembly', () => {
    expect(formatProgram(sample, 'text')).toBe(
      '  A = arch\n  if (A == AUDIT_ARCH_X86_64) goto L3\n  return KILL_PROCESS\nL3:\n  return ALLOW\n',
    );
  });
});
