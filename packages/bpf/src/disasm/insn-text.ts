import { actionName } from '../emulator/actions.js';
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
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
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
  SECCOMP_DATA_SIZE,
} from '../insn.js';

/** ALU operator spelling, indexed by BPF_OP. */
export const ALU_OPS: Readonly<Record<number, string>> = {
  [BPF_ADD]: '+=',
  [BPF_SUB]: '-=',
  [BPF_MUL]: '*=',
  [BPF_DIV]: '/=',
  [BPF_MOD]: '%=',
  [BPF_OR]: '|=',
  [BPF_AND]: '&=',
  [BPF_XOR]: '^=',
  [BPF_LSH]: '<<=',
  [BPF_RSH]: '>>=',
};

/** Conditional jump spellings: [taken-when-true, its negation]. */
export const JMP_OPS: Readonly<Record<number, readonly [string, string]>> = {
  [BPF_JEQ]: ['==', '!='],
  [BPF_JGT]: ['>', '<='],
  [BPF_JGE]: ['>=', '<'],
  [BPF_JSET]: ['&', '!&'],
};

/** How numbers print: small ones in decimal, the rest in hex. */
export function formatNumber(v: number): string {
  const u = v >>> 0;
  return u < 1024 ? String(u) : `0x${u.toString(16)}`;
}

const hex = (v: number, width: number): string => `0x${(v >>> 0).toString(16).padStart(width, '0')}`;

/** The raw fallback form: `.insn CODE, JT, JF, K`. Assembles to exactly these 8 bytes. */
export function rawInsnText(insn: Insn): string {
  return `.insn ${hex(insn.code, 2)}, ${insn.jt}, ${insn.jf}, ${hex(insn.k, 8)}`;
}

/** The name of a seccomp_data word at an aligned offset, in the given byte order. */
export function dataWordName(offset: number, littleEndian: boolean): string | undefined {
  if (offset >= SECCOMP_DATA_SIZE || offset % 4 !== 0) return undefined;
  if (offset === 0) return 'sys_number';
  if (offset === 4) return 'arch';
  const field = offset < 16 ? 'instruction_pointer' : `args[${(offset - 16) >> 3}]`;
  const isHigh = ((offset & 4) !== 0) === littleEndian;
  return isHigh ? `${field} >> 32` : field;
}

export interface InsnTextOptions {
  /** Byte order of seccomp_data (for naming args halves). Default little-endian. */
  littleEndian?: boolean;
  /** Spells a jump target given its relative offset. Default `+N`. */
  target?: (offset: number) => string;
  /** Spells a comparison constant (syscall or arch name); undefined falls back to a number. */
  constant?: (k: number) => string | undefined;
}

const unusedClear = (insn: Insn, kUsed: boolean, jumps: boolean): boolean =>
  (jumps || (insn.jt === 0 && insn.jf === 0)) && (kUsed || insn.k === 0);

/**
 * One instruction in the text form, or undefined when the text form has no
 * spelling for it (seccomp-invalid opcodes, non-zero unused fields): callers
 * then use {@link rawInsnText}.
 */
export function insnText(insn: Insn, opts: InsnTextOptions = {}): string | undefined {
  const le = opts.littleEndian ?? true;
  const target = opts.target ?? ((off: number) => `+${off}`);
  const { code, k } = insn;
  const cls = code & 0x07;
  const num = (v: number) => opts.constant?.(v) ?? formatNumber(v);
  if (code > 0xff) return undefined;
  switch (code) {
    case BPF_LD | BPF_W | BPF_ABS: {
      if (!unusedClear(insn, true, false)) return undefined;
      const name = dataWordName(k, le);
      return `A = ${name ?? `data[${formatNumber(k)}]`}`;
    }
    case BPF_LD | BPF_W | BPF_LEN:
      return unusedClear(insn, false, false) ? 'A = len' : undefined;
    case BPF_LDX | BPF_W | BPF_LEN:
      return unusedClear(insn, false, false) ? 'X = len' : undefined;
    case BPF_LD | BPF_IMM:
      return unusedClear(insn, true, false) ? `A = ${formatNumber(k)}` : undefined;
    case BPF_LDX | BPF_IMM:
      return unusedClear(insn, true, false) ? `X = ${formatNumber(k)}` : undefined;
    case BPF_LD | BPF_MEM:
    case BPF_LDX | BPF_MEM:
      if (!unusedClear(insn, true, false) || k >= BPF_MEMWORDS) return undefined;
      return `${code === (BPF_LD | BPF_MEM) ? 'A' : 'X'} = M[${k}]`;
    case BPF_ST:
    case BPF_STX:
      if (!unusedClear(insn, true, false) || k >= BPF_MEMWORDS) return undefined;
      return `M[${k}] = ${code === BPF_ST ? 'A' : 'X'}`;
    case BPF_MISC | BPF_TAX:
      return unusedClear(insn, false, false) ? 'X = A' : undefined;
    case BPF_MISC | BPF_TXA:
      return unusedClear(insn, false, false) ? 'A = X' : undefined;
    case BPF_ALU | BPF_NEG:
      return unusedClear(insn, false, false) ? 'A = -A' : undefined;
    case BPF_RET | BPF_K:
      return unusedClear(insn, true, false) ? `return ${actionName(k)}` : undefined;
    case BPF_RET | BPF_A:
      return unusedClear(insn, false, false) ? 'return A' : undefined;
    case BPF_JMP | BPF_JA:
      return insn.jt === 0 && insn.jf === 0 ? `goto ${target(k)}` : undefined;
  }
  if (cls === BPF_ALU) {
    const op = ALU_OPS[code & 0xf0];
    if (op === undefined || (code & 0x07) !== BPF_ALU) return undefined;
    const isX = (code & 0x08) === BPF_X;
    if (!unusedClear(insn, !isX, false)) return undefined;
    return `A ${op} ${isX ? 'X' : formatNumber(k)}`;
  }
  if (cls === BPF_JMP) {
    const ops = JMP_OPS[code & 0xf0];
    if (ops === undefined) return undefined;
    const isX = (code & 0x08) === BPF_X;
    if (isX && k !== 0) return undefined;
    const operand = isX ? 'X' : num(k);
    const cond = (negate: boolean): string => {
      if ((code & 0xf0) === BPF_JSET) return negate ? `!(A & ${operand})` : `A & ${operand}`;
      return `A ${ops[negate ? 1 : 0]} ${operand}`;
    };
    if (insn.jf === 0) return `if (${cond(false)}) goto ${target(insn.jt)}`;
    if (insn.jt === 0) return `if (${cond(true)}) goto ${target(insn.jf)}`;
    return `if (${cond(false)}) goto ${target(insn.jt)} else goto ${target(insn.jf)}`;
  }
  return undefined;
}
