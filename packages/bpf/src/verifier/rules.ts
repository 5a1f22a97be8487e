import {
  BPF_A,
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
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
  BPF_MOD,
  BPF_MSH,
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
} from '../insn.js';

const ALU_OPS = [BPF_ADD, BPF_SUB, BPF_MUL, BPF_DIV, BPF_MOD, BPF_AND, BPF_OR, BPF_XOR, BPF_LSH, BPF_RSH];
const JMP_COND_OPS = [BPF_JEQ, BPF_JGE, BPF_JGT, BPF_JSET];

/** Opcodes classic BPF knows (chk_code_allowed() in net/core/filter.c). */
export const CLASSIC_OPCODES: ReadonlySet<number> = new Set([
  ...ALU_OPS.flatMap((op) => [BPF_ALU | op | BPF_K, BPF_ALU | op | BPF_X]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_W | BPF_ABS,
  BPF_LD | BPF_H | BPF_ABS,
  BPF_LD | BPF_B | BPF_ABS,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LD | BPF_W | BPF_IND,
  BPF_LD | BPF_H | BPF_IND,
  BPF_LD | BPF_B | BPF_IND,
  BPF_LD | BPF_IMM,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_LDX | BPF_B | BPF_MSH,
  BPF_LDX | BPF_IMM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  BPF_JMP | BPF_JA,
  ...JMP_COND_OPS.flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

/**
 * Opcodes seccomp accepts (seccomp_check_filter() in kernel/seccomp.c): classic
 * BPF without packet loads (only aligned word loads from seccomp_data), without
 * BPF_MOD and without `ret X`.
 */
export const SECCOMP_OPCODES: ReadonlySet<number> = new Set([
  BPF_LD | BPF_W | BPF_ABS,
  BPF_LD | BPF_W | BPF_LEN,
  BPF_LDX | BPF_W | BPF_LEN,
  BPF_RET | BPF_K,
  BPF_RET | BPF_A,
  ...ALU_OPS.filter((op) => op !== BPF_MOD).flatMap((op) => [BPF_ALU | op | BPF_K, BPF_ALU | op | BPF_X]),
  BPF_ALU | BPF_NEG,
  BPF_LD | BPF_IMM,
  BPF_LDX | BPF_IMM,
  BPF_MISC | BPF_TAX,
  BPF_MISC | BPF_TXA,
  BPF_LD | BPF_MEM,
  BPF_LDX | BPF_MEM,
  BPF_ST,
  BPF_STX,
  BPF_JMP | BPF_JA,
  ...JMP_COND_OPS.flatMap((op) => [BPF_JMP | op | BPF_K, BPF_JMP | op | BPF_X]),
]);

export const isConditionalJump = (code: number): boolean =>
  (code & 0x07) === BPF_JMP && code !== (BPF_JMP | BPF_JA) && CLASSIC_OPCODES.has(code);

/** The rules the verifier names in its errors, with what each one means. */
export const RULES = {
  length: 'a seccomp program has 1 to 4096 instructions (BPF_MAXINSNS)',
  opcode: 'the opcode must be one classic BPF defines',
  'seccomp-opcode': 'seccomp allows only the instructions in seccomp_check_filter()',
  'div-by-zero': 'division or modulo by the constant 0 is rejected',
  'shift-range': 'a shift by a constant must be less than 32',
  'scratch-index': 'scratch memory is M[0] to M[15]',
  'jump-range': 'jumps go forward and must land inside the program',
  'load-range': 'loads read an aligned 32-bit word inside seccomp_data (offset 0 to 60, a multiple of 4)',
  'last-not-return': 'the last instruction must be a return (ret K or ret A)',
  'scratch-uninit': 'scratch memory must be written on every path before it is read',
} as const;

export type Rule = keyof typeof RULES;
