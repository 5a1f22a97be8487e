import { describe, expect, it } from 'vitest';
import { AsmError, assemble } from '../src/asm/index.js';
import { type Insn, jump, stmt } from '../src/insn.js';

const one = (line: string, arch = 'x86_64'): Insn => {
  const p = assemble(`${line}\nend: return ALLOW`, { arch });
  return p[0]!;
};

describe('assemble: one line -> one instruction', () => {
  const table: [string, Insn][] = [
    ['A = sys_number', stmt(0x20, 0)],
    ['A = nr', stmt(0x20, 0)],
    ['A = arch', stmt(0x20, 4)],
    ['A = instruction_pointer', stmt(0x20, 8)],
    ['A = instruction_pointer >> 32', stmt(0x20, 12)],
    ['A = args[0]', stmt(0x20, 16)],
    ['A = args[0] >> 32', stmt(0x20, 20)],
    ['A = args[5].hi', stmt(0x20, 60)],
    ['A = args[5].lo', stmt(0x20, 56)],
    ['A = data[17]', stmt(0x20, 17)],
    ['A = len', stmt(0x80, 0)],
    ['X = len', stmt(0x81, 0)],
    ['A = 0x40000000', stmt(0x00, 0x40000000)],
    ['A = -1', stmt(0x00, 0xffffffff)],
    ['A = 0b101', stmt(0x00, 5)],
    ['A = 0o17', stmt(0x00, 15)],
    ['A = openat', stmt(0x00, 257)],
    ['A = arch_prctl', stmt(0x00, 158)],
    ['A = AUDIT_ARCH_AARCH64', stmt(0x00, 0xc00000b7)],
    ['X = 4', stmt(0x01, 4)],
    ['A = M[3]', stmt(0x60, 3)],
    ['X = M[15]', stmt(0x61, 15)],
    ['M[3] = A', stmt(0x02, 3)],
    ['M[0] = X', stmt(0x03, 0)],
    ['X = A', stmt(0x07, 0)],
    ['A = X', stmt(0x87, 0)],
    ['A += 4', stmt(0x04, 4)],
    ['A -= X', stmt(0x1c, 0)],
    ['A *= 3', stmt(0x24, 3)],
    ['A /= 2', stmt(0x34, 2)],
    ['A %= 2', stmt(0x94, 2)],
    ['A &= 0xff', stmt(0x54, 0xff)],
    ['A |= X', stmt(0x4c, 0)],
    ['A ^= 1', stmt(0xa4, 1)],
    ['A <<= 2', stmt(0x64, 2)],
    ['A >>= X', stmt(0x7c, 0)],
    ['A = -A', stmt(0x84, 0)],
    ['goto end', jump(0x05, 0, 0, 0)],
    ['goto +7', jump(0x05, 7, 0, 0)],
    ['goto 9', jump(0x05, 8, 0, 0)],
    ['if (A == 1) goto 3 else goto 0004', jump(0x15, 1, 2, 3)],
    ['mem[2] = A', stmt(0x02, 2)],
    ['A = mem[2]', stmt(0x60, 2)],
    ['if (A == openat) goto end', jump(0x15, 257, 0, 0)],
    ['if (A != 0x40000000) goto end', jump(0x15, 0x40000000, 0, 0)],
    ['if (A == X) goto +2 else goto +3', jump(0x1d, 0, 2, 3)],
    ['if (A != 5) goto +2 else goto +3', jump(0x15, 5, 3, 2)],
    ['if (A > 5) goto +1', jump(0x25, 5, 1, 0)],
    ['if (A <= 5) goto +1', jump(0x25, 5, 0, 1)],
    ['if (A >= X) goto +1', jump(0x3d, 0, 1, 0)],
    ['if (A < 5) goto +1', jump(0x35, 5, 0, 1)],
    ['if (A & 0x40000000) goto +1', jump(0x45, 0x40000000, 1, 0)],
    ['if (!(A & X)) goto +1', jump(0x4d, 0, 0, 1)],
    ['if (A == ARCH_X86_64) goto +1', jump(0x15, 0xc000003e, 1, 0)],
    ['return ALLOW', stmt(0x06, 0x7fff0000)],
    ['return allow', stmt(0x06, 0x7fff0000)],
    ['return KILL', stmt(0x06, 0)],
    ['return KILL_THREAD', stmt(0x06, 0)],
    ['return KILL_PROCESS', stmt(0x06, 0x80000000)],
    ['return ERRNO(13)', stmt(0x06, 0x5000d)],
    ['return ERRNO(EACCES)', stmt(0x06, 0x5000d)],
    ['return TRAP(2)', stmt(0x06, 0x30002)],
    ['return TRACE(5)', stmt(0x06, 0x7ff00005)],
    ['return LOG', stmt(0x06, 0x7ffc0000)],
    ['return USER_NOTIF', stmt(0x06, 0x7fc00000)],
    ['return 0x7fff0000', stmt(0x06, 0x7fff0000)],
    ['ret A', stmt(0x16, 0)],
    ['.insn 0x28, 1, 2, 0x11', jump(0x28, 0x11, 1, 2)],
    ['lbl: A = arch  # a comment', stmt(0x20, 4)],
    ['A = arch // a comment', stmt(0x20, 4)],
  ];
  it.each(table)('%s', (line, insn) => {
    expect(one(line)).toEqual(insn);
  });

  it('syscall names follow the architecture', () => {
    expect(one('A = openat', 'i386').k).toBe(295);
    expect(one('A = openat', 'x32').k).toBe(0x40000000 + 257);
    expect(one('A = openat', 'aarch64').k).toBe(56);
    // No --arch: the first architecture the program compares with.
    expect(assemble('A = arch\nif (A != AUDIT_ARCH_AARCH64) goto +1\nA = openat\nreturn A')[2]!.k).toBe(56);
    // An .arch line switches for the lines after it.
    expect(assemble('.arch i386\nA = openat\n.arch x86_64\nA = openat\nreturn A').map((i) => i.k)).toEqual([
      295, 257, 0,
    ]);
  });
});

describe('assemble: errors name line and column', () => {
  const table: [string, number, number, RegExp][] = [
    ['A = frobnicate', 1, 5, /unknown syscall 'frobnicate' on x86_64/],
    ['A = opneat', 1, 5, /unknown syscall 'opneat' on x86_64 \(did you mean 'openat'\?\)/],
    ['if (A == AUDIT_ARCH_VAX) goto +0', 1, 10, /unknown architecture constant 'AUDIT_ARCH_VAX'/],
    ['A = args[6]', 1, 10, /argument number 6 is out of range \(0..5\)/],
    ['A = M[16]', 1, 7, /scratch slot 16 is out of range/],
    ['\n  goto nowhere', 2, 8, /undefined label 'nowhere'/],
    ['x: return ALLOW\ngoto x', 2, 6, /goes backwards/],
    ['return ALLOW\ngoto 0', 2, 6, /jump to instruction 0 goes backwards/],
    ['return ERRNO(70000)', 1, 14, /does not fit in 16 bits/],
    ['return ERRNO(ENOTANERRNO)', 1, 14, /unknown errno name/],
    ['return MAYBE', 1, 8, /unknown action 'MAYBE'/],
    ['A = 0x100000000', 1, 5, /does not fit in 32 bits/],
    ['A == 5', 1, 3, /expected '=' or an operator/],
    ['if (A ~ 5) goto x', 1, 7, /unexpected character '~'/],
    ['if (A == 5) goto', 1, 17, /expected a label, \+N or N at the end of the line/],
    ['A = arch arch', 1, 10, /unexpected 'arch' after the instruction/],
    ['jump 3', 1, 1, /unknown instruction starting with 'jump'/],
    ['.arch vax', 1, 7, /vax/],
    ['.insn 1, 2, 3', 1, 14, /expected ','/],
    ['.insn 1, 256, 0, 0', 1, 10, /out of range/],
    ['a:\na: return A', 2, 1, /label 'a' is defined twice/],
    ['A = 12abc', 1, 5, /malformed number/],
    ['A = args[0] >> 16', 1, 16, /only '>> 32'/],
  ];
  it.each(table)('%s', (src, line, column, message) => {
    let caught: unknown;
    try {
      assemble(src, { arch: 'x86_64', source: 'f.bpf' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AsmError);
    const e = caught as AsmError;
    expect(e.detail).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message.startsWith(`f.bpf:${line}:${column}: `)).toBe(true);
  });

  it('rejects a syscall name when no architecture is known', () => {
    expect(() => assemble('A = openat\nreturn A')).toThrow(/give an architecture/);
  });

  it('rejects conditional jumps farther than 255 instructions, naming the distance', () => {
    const far = [
      'if (A == 1) goto far',
      ...Array.from({ length: 256 }, () => 'A = 0'),
      'far: return ALLOW',
    ].join('\n');
    expect(() => assemble(far)).toThrow(
      /1:18: jump to 'far' is 256 instructions away; a conditional jump reaches at most 255/,
    );
    const ok = [
      'if (A == 1) goto far',
      ...Array.from({ length: 255 }, () => 'A = 0'),
      'far: return ALLOW',
    ].join('\n');
    expect(assemble(ok)[0]).toEqual(jump(0x15, 1, 255, 0));
    // goto has 32 bits.
    const ja = ['goto far', ...Array.from({ length: 1000 }, () => 'A = 0'), 'far: return ALLOW'].join('\n');
    expect(assemble(ja)[0]).toEqual(jump(0x05, 1000, 0, 0));
  });
});
