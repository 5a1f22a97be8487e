import { insnText, rawInsnText } from '../disasm/insn-text.js';
import {
  BPF_A,
  BPF_ABS,
  BPF_ALU,
  BPF_DIV,
  BPF_JA,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LSH,
  BPF_MAXINSNS,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MOD,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_W,
  type Insn,
  SECCOMP_DATA_SIZE,
} from '../insn.js';
import { CLASSIC_OPCODES, isConditionalJump, RULES, type Rule, SECCOMP_OPCODES } from './rules.js';

/** A program the kernel would refuse to load (EINVAL), with the instruction and the rule it breaks. */
export class VerifyError extends Error {
  /** Index of the offending instruction, or -1 for whole-program rules (length). */
  readonly pc: number;
  readonly rule: Rule;
  constructor(pc: number, rule: Rule, message: string) {
    super(message);
    this.name = 'VerifyError';
    this.pc = pc;
    this.rule = rule;
  }
}

export type CheckResult = { ok: true } | { ok: false; pc: number; rule: Rule; message: string };

const describe = (insn: Insn): string => insnText(insn) ?? rawInsnText(insn);

function fail(program: readonly Insn[], pc: number, rule: Rule, detail: string): CheckResult {
  const where = pc >= 0 ? `pc ${pc} (${describe(program[pc]!)}): ` : '';
  return { ok: false, pc, rule, message: `${where}${detail} [${rule}: ${RULES[rule]}]` };
}

/**
 * The kernel's acceptance test for a seccomp filter, in the kernel's own order:
 * bpf_check_classic() (opcodes, constant operands, jump ranges, last instruction,
 * then check_load_and_stores()) and then seccomp_check_filter(). A program passes
 * exactly when seccomp(SECCOMP_SET_MODE_FILTER) would not fail with EINVAL.
 */
export function check(program: readonly Insn[]): CheckResult {
  const flen = program.length;
  if (flen === 0 || flen > BPF_MAXINSNS) {
    return fail(program, -1, 'length', `the program has ${flen} instructions`);
  }
  for (let pc = 0; pc < flen; pc++) {
    const { code, k, jt, jf } = program[pc]!;
    if (!CLASSIC_OPCODES.has(code)) {
      return fail(program, pc, 'opcode', `opcode 0x${code.toString(16)} is not a classic BPF instruction`);
    }
    switch (code) {
      case BPF_ALU | BPF_DIV | BPF_K:
      case BPF_ALU | BPF_MOD | BPF_K:
        if (k === 0) return fail(program, pc, 'div-by-zero', 'division by the constant 0');
        break;
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K:
        if (k >>> 0 >= 32) return fail(program, pc, 'shift-range', `shift by ${k >>> 0}`);
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (k >>> 0 >= BPF_MEMWORDS)
          return fail(program, pc, 'scratch-index', `M[${k >>> 0}] does not exist`);
        break;
      case BPF_JMP | BPF_JA:
        if (k >>> 0 >= flen - pc - 1) {
          return fail(
            program,
            pc,
            'jump-range',
            `goto +${k >>> 0} lands past the last instruction (pc ${flen - 1})`,
          );
        }
        break;
      default:
        if (isConditionalJump(code) && (pc + jt + 1 >= flen || pc + jf + 1 >= flen)) {
          return fail(
            program,
            pc,
            'jump-range',
            `a branch (+${jt} / +${jf}) lands past the last instruction (pc ${flen - 1})`,
          );
        }
    }
  }
  const last = program[flen - 1]!.code;
  if (last !== (BPF_RET | BPF_K) && last !== (BPF_RET | BPF_A)) {
    return fail(program, flen - 1, 'last-not-return', 'the program can run off its end');
  }
  const uninit = checkLoadsAndStores(program);
  if (uninit !== undefined) {
    return fail(program, uninit.pc, 'scratch-uninit', `M[${uninit.slot}] may be read before it is written`);
  }
  for (let pc = 0; pc < flen; pc++) {
    const { code, k } = program[pc]!;
    if (!SECCOMP_OPCODES.has(code)) {
      return fail(program, pc, 'seccomp-opcode', 'classic BPF, but not an instruction seccomp allows');
    }
    if (code === (BPF_LD | BPF_W | BPF_ABS) && (k >>> 0 >= SECCOMP_DATA_SIZE || (k & 3) !== 0)) {
      return fail(program, pc, 'load-range', `offset ${k >>> 0} is not an aligned word inside seccomp_data`);
    }
  }
  return { ok: true };
}

/**
 * check_load_and_stores(): one linear pass with a 16-bit "written" mask. A jump
 * narrows the mask at its targets and resets the running mask to all-ones; the
 * mask also flows into the next instruction in program order (even after a
 * return, as the kernel's pass does), so this mirrors the kernel bit for bit.
 */
function checkLoadsAndStores(program: readonly Insn[]): { pc: number; slot: number } | undefined {
  const flen = program.length;
  const masks = new Uint16Array(flen).fill(0xffff);
  let memvalid = 0;
  for (let pc = 0; pc < flen; pc++) {
    memvalid &= masks[pc]!;
    const { code, k, jt, jf } = program[pc]!;
    switch (code) {
      case BPF_ST:
      case BPF_STX:
        memvalid |= 1 << k;
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_MEM:
        if ((memvalid & (1 << k)) === 0) return { pc, slot: k };
        break;
      case BPF_JMP | BPF_JA:
        masks[pc + 1 + k] = masks[pc + 1 + k]! & memvalid;
        memvalid = 0xffff;
        break;
      default:
        if (isConditionalJump(code)) {
          masks[pc + 1 + jt] = masks[pc + 1 + jt]! & memvalid;
          masks[pc + 1 + jf] = masks[pc + 1 + jf]! & memvalid;
          memvalid = 0xffff;
        }
    }
  }
  return undefined;
}

/** Throws a {@link VerifyError} naming the instruction and the rule when the kernel would reject the program. */
export function verify(program: readonly Insn[]): void {
  const r = check(program);
  if (!r.ok) throw new VerifyError(r.pc, r.rule, r.message);
}
