import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/index.js';
import { disassemble } from '../src/disasm/index.js';
import { type Insn, jump, stmt } from '../src/insn.js';
import { arbitraryProgram, mutatedProgram, validProgram } from './helpers/programs.js';

const roundTrip = (p: readonly Insn[], arch?: string): Insn[] =>
  assemble(disassemble(p, arch ? { arch } : {}), arch ? { arch } : {});

describe('disassemble then assemble gives back the same bytes', () => {
  for (const arch of [undefined, 'x86_64', 'i386', 'x32', 'aarch64', 's390x']) {
    it(`valid programs, arch ${arch ?? '(none)'}`, () => {
      fc.assert(
        fc.property(validProgram(50), (p) => {
          expect(roundTrip(p, arch)).toEqual(p);
        }),
        { seed: 11, numRuns: 300 },
      );
    });
  }
  it('any bytes at all (invalid opcodes, jumps out of range, garbage in unused fields)', () => {
    fc.assert(
      fc.property(
        fc.oneof(arbitraryProgram(30), mutatedProgram(30)),
        fc.constantFrom(undefined, 'x86_64', 'ppc64'),
        (p, arch) => {
          expect(roundTrip(p, arch)).toEqual(p);
        },
      ),
      { seed: 12, numRuns: 1500 },
    );
  });
  it('programs that check several architectures', () => {
    const archCheck = fc.constantFrom(0xc000003e, 0x40000003, 0xc00000b7, 0x80000016, 0x12345);
    const prog = fc
      .tuple(validProgram(30), fc.array(fc.tuple(archCheck, fc.nat(600), fc.nat(5)), { maxLength: 6 }))
      .map(([p, checks]) => {
        // Splice `A = arch; if (A == X) ...; A = nr; if (A == nr) ...` sequences in front.
        const head: Insn[] = [];
        for (const [arch, nr, skip] of checks) {
          head.push(
            stmt(0x20, 4),
            jump(0x15, arch, 0, 0),
            stmt(0x20, 0),
            jump(0x15, (nr | (skip === 0 ? 0x40000000 : 0)) >>> 0, skip, 0),
          );
        }
        return [...head, ...p];
      });
    fc.assert(
      fc.property(prog, fc.constantFrom(undefined, 'x86_64', 'x32', 'i386'), (p, arch) => {
        expect(roundTrip(p, arch)).toEqual(p);
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});

describe('disassemble: the text form', () => {
  it('names syscalls per the architecture each path checked (x86_64, i386, x32)', () => {
    const src = [
      'A = arch',
      'if (A == AUDIT_ARCH_I386) goto i386',
      'if (A != AUDIT_ARCH_X86_64) goto kill',
      '.arch x86_64',
      'A = sys_number',
      'if (A & 0x40000000) goto x32',
      'if (A == openat) goto allow else goto deny',
      'x32:',
      '.arch x32',
      'if (A == openat) goto allow else goto deny',
      'i386:',
      'A = sys_number',
      '.arch i386',
      'if (A == socketcall) goto allow else goto deny',
      'allow: return ALLOW',
      'deny: return ERRNO(1)',
      'kill: return KILL_PROCESS',
    ].join('\n');
    const p = assemble(src);
    expect(p[5]!.k).toBe(257);
    expect(p[6]!.k).toBe(0x40000000 + 257);
    expect(p[8]!.k).toBe(102);
    const text = disassemble(p);
    expect(text).toBe(
      [
        '.arch i386',
        '  A = arch',
        '  if (A == AUDIT_ARCH_I386) goto L7',
        '  if (A != AUDIT_ARCH_X86_64) goto L11',
        '  A = sys_number',
        '  if (A & 0x40000000) goto L6',
        '.arch x86_64',
        '  if (A == openat) goto L9 else goto L10',
        'L6:',
        '.arch x32',
        '  if (A == openat) goto L9 else goto L10',
        'L7:',
        '  A = sys_number',
        '.arch i386',
        '  if (A != socketcall) goto L10',
        'L9:',
        '  return ALLOW',
        'L10:',
        '  return ERRNO(1)',
        'L11:',
        '  return KILL_PROCESS',
        '',
      ].join('\n'),
    );
    expect(assemble(text)).toEqual(p);
  });

  it('spells every seccomp instruction', () => {
    const p: Insn[] = [
      stmt(0x20, 0),
      stmt(0x20, 4),
      stmt(0x20, 8),
      stmt(0x20, 12),
      stmt(0x20, 16),
      stmt(0x20, 60),
      stmt(0x20, 17),
      stmt(0x80, 0),
      stmt(0x81, 0),
      stmt(0x00, 0xdeadbeef),
      stmt(0x01, 7),
      stmt(0x60, 3),
      stmt(0x61, 15),
      stmt(0x02, 0),
      stmt(0x03, 1),
      stmt(0x07, 0),
      stmt(0x87, 0),
      stmt(0x04, 1),
      stmt(0x1c, 0),
      stmt(0x94, 7),
      stmt(0xa4, 0xff),
      stmt(0x64, 3),
      stmt(0x7c, 0),
      stmt(0x84, 0),
      jump(0x05, 0, 0, 0),
      jump(0x25, 5, 0, 1),
      jump(0x35, 5, 1, 0),
      jump(0x45, 0x10, 0, 1),
      jump(0x1d, 0, 1, 1),
      stmt(0x16, 0),
      stmt(0x06, 0x7fc00000),
      stmt(0x28, 0),
      stmt(0x06, 0x00030007),
    ];
    expect(disassemble(p, { arch: 'x86_64' }).split('\n')).toEqual([
      '  A = sys_number',
      '  A = arch',
      '  A = instruction_pointer',
      '  A = instruction_pointer >> 32',
      '  A = args[0]',
      '  A = args[5] >> 32',
      '  A = data[17]',
      '  A = len',
      '  X = len',
      '  A = 0xdeadbeef',
      '  X = 7',
      '  A = M[3]',
      '  X = M[15]',
      '  M[0] = A',
      '  M[1] = X',
      '  X = A',
      '  A = X',
      '  A += 1',
      '  A -= X',
      '  A %= 7',
      '  A ^= 255',
      '  A <<= 3',
      '  A >>= X',
      '  A = -A',
      '  goto L25',
      'L25:',
      '  if (A <= 5) goto L27',
      '  if (A >= 5) goto L28',
      'L27:',
      '  if (!(A & 16)) goto L29',
      'L28:',
      '  if (A == X) goto L30 else goto L30',
      'L29:',
      '  return A',
      'L30:',
      '  return USER_NOTIF',
      '  .insn 0x28, 0, 0, 0x00000000',
      '  return TRAP(7)',
      '',
    ]);
  });

  it('follows the syscall number through X and scratch memory', () => {
    const src = [
      '  A = sys_number',
      '  M[3] = A',
      '  A = args[0]',
      '  X = M[3]',
      '  A = X',
      '  if (A == openat) goto L7',
      '  return KILL_THREAD',
      'L7:',
      '  return ALLOW',
      '',
    ].join('\n');
    const p = assemble(src, { arch: 'x86_64' });
    expect(disassemble(p, { arch: 'x86_64' })).toBe(src);
    // Once A is computed from it, the number is just a number.
    const q = assemble('A = sys_number\nA += 0\nif (A == 257) goto +0\nreturn A', { arch: 'x86_64' });
    expect(disassemble(q, { arch: 'x86_64' })).toContain('if (A == 257) goto L3');
  });

  it('big-endian ABIs swap the halves of 64-bit fields', () => {
    const p = [stmt(0x20, 16), stmt(0x20, 20), stmt(0x16, 0)];
    expect(disassemble(p, { arch: 's390x' })).toBe('  A = args[0] >> 32\n  A = args[0]\n  return A\n');
    expect(assemble('A = args[0]\nA = args[0].hi\nreturn A', { arch: 's390x' })).toEqual([
      stmt(0x20, 20),
      stmt(0x20, 16),
      stmt(0x16, 0),
    ]);
  });

  it('jumps that leave the program stay relative', () => {
    expect(disassemble([jump(0x15, 1, 9, 0), jump(0x05, 70000, 0, 0)])).toBe(
      '  if (A == 1) goto +9\n  goto +70000\n',
    );
  });
});
