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
  SECCOMP_RET_ALLOW,
} from '../insn.js';
import { actionRank } from './actions.js';
import { auditArchIsLittleEndian, type SeccompData, seccompDataWords } from './seccomp-data.js';

export interface EmulateOptions {
  /**
   * Byte order of seccomp_data's 64-bit fields. Defaults to the byte order of the
   * ABI that `data.arch` names (the __AUDIT_ARCH_LE bit of the AUDIT_ARCH_* value).
   */
  littleEndian?: boolean;
}

export interface EmulationResult {
  /** The full 32-bit return value (action | data). */
  action: number;
  /** The pc of every instruction executed, in order, the final return included. */
  trace: number[];
  /** trace.length. */
  executed: number;
  /**
   * Set when the program did something the kernel's verifier would not have let
   * it load (an opcode seccomp rejects, a misaligned or out-of-range load, a jump
   * past the end, reading scratch memory never written, running off the end).
   * The emulator then stops and returns 0 (KILL_THREAD), as classic BPF did on a
   * faulting load: it never invents an ALLOW. Verified programs never fault.
   */
  fault?: string;
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/**
 * Runs a seccomp filter against one seccomp_data, with the kernel's semantics:
 * A and X are unsigned 32-bit and wrap; `A /= X` with X == 0 ends the program
 * returning 0 (bpf_convert_filter() emits exactly that); a shift by X uses
 * X & 31 (the eBPF interpreter and JITs mask the count); `A = len` is 64
 * (sizeof(struct seccomp_data)); jumps are relative and forward only.
 */
export function emulate(
  program: readonly Insn[],
  data: SeccompData,
  opts: EmulateOptions = {},
): EmulationResult {
  const littleEndian = opts.littleEndian ?? auditArchIsLittleEndian(data.arch);
  const words = seccompDataWords(data, littleEndian);
  const mem = new Uint32Array(BPF_MEMWORDS);
  let memValid = 0;
  let A = 0;
  let X = 0;
  const trace: number[] = [];
  const n = program.length;
  const stop = (action: number, fault?: string): EmulationResult =>
    fault === undefined
      ? { action: action >>> 0, trace, executed: trace.length }
      : { action: action >>> 0, trace, executed: trace.length, fault };

  let pc = 0;
  while (pc < n) {
    const insn = program[pc]!;
    trace.push(pc);
    const { code, k } = insn;
    switch (code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (k >= SECCOMP_DATA_SIZE || (k & 3) !== 0) {
          return stop(0, `pc ${pc}: load at offset ${k} is not an aligned word inside seccomp_data`);
        }
        A = words[k >>> 2]!;
        break;
      case BPF_LD | BPF_W | BPF_LEN:
        A = SECCOMP_DATA_SIZE;
        break;
      case BPF_LDX | BPF_W | BPF_LEN:
        X = SECCOMP_DATA_SIZE;
        break;
      case BPF_LD | BPF_IMM:
        A = k >>> 0;
        break;
      case BPF_LDX | BPF_IMM:
        X = k >>> 0;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM: {
        if (k >= BPF_MEMWORDS) return stop(0, `pc ${pc}: scratch memory M[${k}] does not exist (M[0..15])`);
        if ((memValid & (1 << k)) === 0) return stop(0, `pc ${pc}: M[${k}] is read before it is written`);
        if (code === (BPF_LD | BPF_MEM)) A = mem[k]!;
        else X = mem[k]!;
        break;
      }
      case BPF_ST:
      case BPF_STX:
        if (k >= BPF_MEMWORDS) return stop(0, `pc ${pc}: scratch memory M[${k}] does not exist (M[0..15])`);
        mem[k] = code === BPF_ST ? A : X;
        memValid |= 1 << k;
        break;
      case BPF_MISC | BPF_TAX:
        X = A;
        break;
      case BPF_MISC | BPF_TXA:
        A = X;
        break;
      case BPF_RET | BPF_K:
        return stop(k);
      case BPF_RET | BPF_A:
        return stop(A);
      case BPF_ALU | BPF_NEG:
        A = -A >>> 0;
        break;
      case BPF_JMP | BPF_JA: {
        const target = pc + 1 + k;
        if (target >= n) return stop(0, `pc ${pc}: jump to ${target} is past the end (${n} instructions)`);
        pc = target;
        continue;
      }
      default: {
        const cls = code & 0x07;
        if (cls === BPF_ALU) {
          const op = code & 0xf0;
          const src = code & 0x08;
          if ((code & ~0xf8) !== BPF_ALU || op === BPF_MOD || op > BPF_XOR) {
            return stop(0, `pc ${pc}: opcode ${hex(code)} is not an ALU operation seccomp allows`);
          }
          const v = src === BPF_X ? X : k >>> 0;
          switch (op) {
            case BPF_ADD:
              A = (A + v) >>> 0;
              break;
            case BPF_SUB:
              A = (A - v) >>> 0;
              break;
            case BPF_MUL:
              A = Math.imul(A, v) >>> 0;
              break;
            case BPF_DIV:
              if (v === 0) {
                // bpf_convert_filter(): "if (X == 0) return 0" (a constant 0 divisor cannot load).
                if (src === BPF_K) return stop(0, `pc ${pc}: division by the constant 0`);
                return stop(0);
              }
              A = Math.floor(A / v) >>> 0;
              break;
            case BPF_OR:
              A = (A | v) >>> 0;
              break;
            case BPF_AND:
              A = (A & v) >>> 0;
              break;
            case BPF_XOR:
              A = (A ^ v) >>> 0;
              break;
            case BPF_LSH:
              if (src === BPF_K && v >= 32) return stop(0, `pc ${pc}: shift by the constant ${v} (>= 32)`);
              A = (A << (v & 31)) >>> 0;
              break;
            case BPF_RSH:
              if (src === BPF_K && v >= 32) return stop(0, `pc ${pc}: shift by the constant ${v} (>= 32)`);
              A = A >>> (v & 31);
              break;
            default:
              return stop(0, `pc ${pc}: opcode ${hex(code)} is not an ALU operation seccomp allows`);
          }
          break;
        }
        if (cls === BPF_JMP) {
          const op = code & 0xf0;
          if ((code & ~0xf8) !== BPF_JMP || op > BPF_JSET || op === BPF_JA) {
            return stop(0, `pc ${pc}: opcode ${hex(code)} is not a jump seccomp allows`);
          }
          const v = (code & 0x08) === BPF_X ? X : k >>> 0;
          let taken: boolean;
          if (op === BPF_JEQ) taken = A === v;
          else if (op === BPF_JGT) taken = A > v;
          else if (op === BPF_JGE) taken = A >= v;
          else taken = (A & v) !== 0;
          const target = pc + 1 + (taken ? insn.jt : insn.jf);
          if (target >= n) return stop(0, `pc ${pc}: jump to ${target} is past the end (${n} instructions)`);
          pc = target;
          continue;
        }
        return stop(0, `pc ${pc}: opcode ${hex(code)} is not an instruction seccomp allows`);
      }
    }
    pc++;
  }
  return stop(0, `ran off the end of the program after pc ${n - 1} without a return`);
}

export interface StackResult {
  /** The return value the kernel acts on. */
  action: number;
  /** Each filter's own result, in the order the filters were given (installation order). */
  results: EmulationResult[];
  /** Index (into the filters given) of the filter whose return value won, or -1 when all allowed. */
  decidedBy: number;
}

/**
 * Runs stacked filters as seccomp_run_filters() does. `filters` are in the order
 * they were installed (filters[0] first); the kernel runs the most recently
 * installed one first and keeps a result only when its action, taken as a signed
 * 32-bit value without the data bits, is strictly lower than the best so far
 * (starting from ALLOW). So KILL_PROCESS beats everything, and among equal actions
 * the most recently installed filter's data wins.
 */
export function emulateStack(
  filters: readonly (readonly Insn[])[],
  data: SeccompData,
  opts: EmulateOptions = {},
): StackResult {
  const results = filters.map((f) => emulate(f, data, opts));
  let action = SECCOMP_RET_ALLOW;
  let decidedBy = -1;
  for (let i = results.length - 1; i >= 0; i--) {
    const cur = results[i]!.action;
    if (actionRank(cur) < actionRank(action)) {
      action = cur;
      decidedBy = i;
    }
  }
  return { action: action >>> 0, results, decidedBy };
}
