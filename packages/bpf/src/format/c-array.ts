import {
  BPF_ABS,
  BPF_ALU,
  BPF_B,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JMP,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_MEM,
  BPF_MISC,
  BPF_MSH,
  BPF_RET,
  BPF_ST,
  BPF_STX,
  type Insn,
} from '../insn.js';
import { CLASSIC_OPCODES } from '../verifier/rules.js';

const CLASS = ['BPF_LD', 'BPF_LDX', 'BPF_ST', 'BPF_STX', 'BPF_ALU', 'BPF_JMP', 'BPF_RET', 'BPF_MISC'];
const SIZE: Readonly<Record<number, string>> = { 0: 'BPF_W', [BPF_H]: 'BPF_H', [BPF_B]: 'BPF_B' };
const MODE: Readonly<Record<number, string>> = {
  [BPF_IMM]: 'BPF_IMM',
  [BPF_ABS]: 'BPF_ABS',
  [BPF_IND]: 'BPF_IND',
  [BPF_MEM]: 'BPF_MEM',
  [BPF_LEN]: 'BPF_LEN',
  [BPF_MSH]: 'BPF_MSH',
};
const ALU_OP = [
  'BPF_ADD',
  'BPF_SUB',
  'BPF_MUL',
  'BPF_DIV',
  'BPF_OR',
  'BPF_AND',
  'BPF_LSH',
  'BPF_RSH',
  'BPF_NEG',
  'BPF_MOD',
  'BPF_XOR',
];
const JMP_OP = ['BPF_JA', 'BPF_JEQ', 'BPF_JGT', 'BPF_JGE', 'BPF_JSET'];

/** The opcode spelled with <linux/filter.h> macros, or hex when classic BPF has no such opcode. */
export function opcodeMacros(code: number): string {
  if (!CLASSIC_OPCODES.has(code)) return `0x${code.toString(16).padStart(2, '0')}`;
  const cls = code & 7;
  const parts = [CLASS[cls]!];
  switch (cls) {
    case BPF_LD:
    case BPF_LDX: {
      const mode = code & 0xe0;
      if (mode !== BPF_IMM && mode !== BPF_MEM) parts.push(SIZE[code & 0x18]!);
      parts.push(MODE[mode]!);
      break;
    }
    case BPF_ST:
    case BPF_STX:
      break;
    case BPF_ALU:
      parts.push(ALU_OP[(code & 0xf0) >> 4]!);
      if ((code & 0xf0) !== 0x80) parts.push(code & 0x08 ? 'BPF_X' : 'BPF_K');
      break;
    case BPF_JMP:
      parts.push(JMP_OP[(code & 0xf0) >> 4]!);
      if ((code & 0xf0) !== 0) parts.push(code & 0x08 ? 'BPF_X' : 'BPF_K');
      break;
    case BPF_RET:
      parts.push(code & 0x10 ? 'BPF_A' : 'BPF_K');
      break;
    case BPF_MISC:
      parts.push(code & 0x80 ? 'BPF_TXA' : 'BPF_TAX');
      break;
  }
  return parts.join(' | ');
}

const hexK = (k: number): string => `0x${(k >>> 0).toString(16).padStart(8, '0')}`;

export interface CArrayOptions {
  /** C identifier of the array. Default `filter`. */
  name?: string;
  /** Per-instruction comments (e.g. the text form), indexed by pc. */
  comments?: readonly (string | undefined)[];
}

/**
 * A C translation unit fragment: `struct sock_filter NAME[] = { BPF_STMT(...),
 * BPF_JUMP(...) };` plus the `struct sock_fprog` pointing at it. Compiles with
 * <linux/filter.h> and lays out exactly the bytes of `encode(program)` on the host.
 */
export function toCArray(program: readonly Insn[], opts: CArrayOptions = {}): string {
  const name = opts.name ?? 'filter';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`'${name}' is not a C identifier`);
  const rows = program.map((insn, pc) => {
    const code = opcodeMacros(insn.code);
    const isJump = (insn.code & 7) === BPF_JMP || insn.jt !== 0 || insn.jf !== 0;
    const body = isJump
      ? `BPF_JUMP(${code}, ${hexK(insn.k)}, ${insn.jt}, ${insn.jf}),`
      : `BPF_STMT(${code}, ${hexK(insn.k)}),`;
    const comment = opts.comments?.[pc];
    const safe = comment?.replaceAll('*/', '* /');
    return `\t/* ${String(pc).padStart(4)} */ ${safe ? `${body.padEnd(56)} /* ${safe} */` : body}`;
  });
  return [
    '#include <linux/filter.h>',
    '',
    `struct sock_filter ${name}[] = {`,
    ...rows,
    '};',
    '',
    `struct sock_fprog ${name}_prog = {`,
    `\t.len = ${program.length},`,
    `\t.filter = ${name},`,
    '};',
    '',
  ].join('\n');
}
