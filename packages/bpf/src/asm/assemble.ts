import type { Arch } from '@sb/syscalls';
import { ACTIONS_WITH_DATA, ACTIONS_WITHOUT_DATA } from '../emulator/actions.js';
import {
  argOffsets,
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
  ipOffsets,
  SECCOMP_DATA_ARCH,
  SECCOMP_DATA_NR,
} from '../insn.js';
import {
  archByAuditValue,
  archConstant,
  errnoNumber,
  lookupArch,
  suggestSyscall,
  syscallNumber,
} from '../names.js';
import { AsmError, parseNumber, stripComment, type Token, tokenize } from './lexer.js';

export interface AssembleOptions {
  /** Architecture for syscall names and args[] byte order until an `.arch` line says otherwise. */
  arch?: string;
  /** File name to put in error messages. */
  source?: string;
}

const ALU_ASSIGN: Readonly<Record<string, number>> = {
  '+=': BPF_ADD,
  '-=': BPF_SUB,
  '*=': BPF_MUL,
  '/=': BPF_DIV,
  '%=': BPF_MOD,
  '|=': BPF_OR,
  '&=': BPF_AND,
  '^=': BPF_XOR,
  '<<=': BPF_LSH,
  '>>=': BPF_RSH,
};

/** Comparison -> [jump opcode, whether the branch is taken when the opcode's test is false]. */
const COMPARISONS: Readonly<Record<string, readonly [number, boolean]>> = {
  '==': [BPF_JEQ, false],
  '!=': [BPF_JEQ, true],
  '>': [BPF_JGT, false],
  '<=': [BPF_JGT, true],
  '>=': [BPF_JGE, false],
  '<': [BPF_JGE, true],
};

type Target = { label: string; column: number } | { offset: number } | { pc: number; column: number };

interface Pending {
  code: number;
  k: number;
  jt?: Target;
  jf?: Target;
  /** For `goto`: k is the target. */
  ja?: Target;
  line: number;
  column: number;
}

const MAX_U32 = 0xffffffff;

/**
 * Assembles the text form (see the package README for the grammar) into
 * instructions. Errors are {@link AsmError}s carrying line and column.
 */
export function assemble(text: string, opts: AssembleOptions = {}): Insn[] {
  const lines = text.split('\n');
  const source = opts.source;
  const err = (detail: string, line: number, column: number): AsmError =>
    new AsmError(detail, line, column, source);

  let arch: Arch | undefined;
  if (opts.arch !== undefined) arch = lookupArch(opts.arch);
  else arch = firstCheckedArch(lines);

  const labels = new Map<string, number>();
  const pending: Pending[] = [];

  const parseLine = (raw: string, lineNo: number) => {
    let tokens: Token[];
    try {
      tokens = tokenize(stripComment(raw), lineNo);
    } catch (e) {
      if (e instanceof AsmError) throw err(e.detail, e.line, e.column);
      throw e;
    }
    let i = 0;
    const endColumn = raw.length + 1;
    const peek = (o = 0): Token | undefined => tokens[i + o];
    const next = (what: string): Token => {
      const t = tokens[i];
      if (t === undefined) throw err(`expected ${what} at the end of the line`, lineNo, endColumn);
      i++;
      return t;
    };
    const expect = (text: string): Token => {
      const t = next(`'${text}'`);
      if (t.text !== text) throw err(`expected '${text}', found '${t.text}'`, lineNo, t.column);
      return t;
    };
    const accept = (text: string): boolean => {
      if (peek()?.text === text) {
        i++;
        return true;
      }
      return false;
    };
    const done = (): void => {
      const t = peek();
      if (t !== undefined) throw err(`unexpected '${t.text}' after the instruction`, lineNo, t.column);
    };
    const emit = (p: Omit<Pending, 'line' | 'column'>, column: number): void => {
      pending.push({ ...p, line: lineNo, column });
    };

    const littleEndian = (): boolean => arch === undefined || arch.endian === 'little';

    const constant = (what: string): number => {
      const t = next(what);
      if (t.kind === 'number') return checkU32(parseNumber(t.text), t);
      if (t.text === '-') {
        const n = next('a number');
        if (n.kind !== 'number')
          throw err(`expected a number after '-', found '${n.text}'`, lineNo, n.column);
        const v = parseNumber(n.text);
        if (v > 0x80000000) throw err(`-${n.text} does not fit in 32 bits`, lineNo, t.column);
        return -v >>> 0;
      }
      if (t.kind === 'ident') return nameValue(t);
      throw err(`expected ${what}, found '${t.text}'`, lineNo, t.column);
    };
    const checkU32 = (v: number, t: Token): number => {
      if (!Number.isSafeInteger(v) || v > MAX_U32)
        throw err(`${t.text} does not fit in 32 bits`, lineNo, t.column);
      return v;
    };
    const nameValue = (t: Token): number => {
      const archValue = archConstant(t.text);
      if (archValue !== undefined) return archValue;
      // Upper case ARCH_* is an architecture constant; arch_prctl is a syscall.
      if (/^(AUDIT_)?ARCH_[A-Z0-9_]+$/.test(t.text)) {
        throw err(
          `unknown architecture constant '${t.text}' (e.g. AUDIT_ARCH_X86_64, ARCH_AARCH64)`,
          lineNo,
          t.column,
        );
      }
      if (arch === undefined) {
        throw err(
          `'${t.text}' is not a number; to use it as a syscall name give an architecture (--arch, an '.arch NAME' line, or compare A with an AUDIT_ARCH_* name)`,
          lineNo,
          t.column,
        );
      }
      const nr = syscallNumber(arch, t.text);
      if (nr === undefined) {
        const hint = suggestSyscall(arch, t.text);
        throw err(
          `unknown syscall '${t.text}' on ${arch.name}${hint ? ` (did you mean '${hint}'?)` : ''}`,
          lineNo,
          t.column,
        );
      }
      return nr >>> 0;
    };
    const index = (what: string, max: number): number => {
      expect('[');
      const t = next(what);
      if (t.kind !== 'number') throw err(`expected ${what}, found '${t.text}'`, lineNo, t.column);
      const v = parseNumber(t.text);
      if (v > max) throw err(`${what} ${t.text} is out of range (0..${max})`, lineNo, t.column);
      expect(']');
      return v;
    };
    const highOrLow = (): 'lo' | 'hi' => {
      if (accept('>>')) {
        const t = next("'32'");
        if (t.kind !== 'number' || parseNumber(t.text) !== 32) {
          throw err(`only '>> 32' (the upper half) can follow a 64-bit field`, lineNo, t.column);
        }
        return 'hi';
      }
      if (accept('.')) {
        const t = next("'lo' or 'hi'");
        if (t.text !== 'lo' && t.text !== 'hi')
          throw err(`expected 'lo' or 'hi', found '${t.text}'`, lineNo, t.column);
        return t.text;
      }
      return 'lo';
    };
    const target = (): Target => {
      const t = next('a label, +N or N');
      if (t.text === '+') {
        const n = next('an offset');
        if (n.kind !== 'number')
          throw err(`expected an offset after '+', found '${n.text}'`, lineNo, n.column);
        return { offset: checkU32(parseNumber(n.text), n) };
      }
      // seccomp-tools style: a bare number is the index of the target instruction.
      if (t.kind === 'number') return { pc: checkU32(parseNumber(t.text), t), column: t.column };
      if (t.kind !== 'ident') throw err(`expected a label, +N or N, found '${t.text}'`, lineNo, t.column);
      return { label: t.text, column: t.column };
    };

    // Label definitions: `NAME:` (possibly followed by an instruction).
    while (peek()?.kind === 'ident' && peek(1)?.text === ':') {
      const t = next('a label');
      i++;
      if (labels.has(t.text)) throw err(`label '${t.text}' is defined twice`, lineNo, t.column);
      labels.set(t.text, pending.length);
    }
    const first = peek();
    if (first === undefined) return;
    const col = first.column;

    if (first.kind === 'directive') {
      i++;
      if (first.text === '.arch') {
        const rest = tokens.slice(i);
        if (rest.length === 0) throw err('.arch needs an architecture name', lineNo, endColumn);
        const name = rest.map((t) => t.text).join('');
        try {
          arch = lookupArch(name);
        } catch (e) {
          throw err(e instanceof Error ? e.message : String(e), lineNo, rest[0]!.column);
        }
        return;
      }
      if (first.text === '.insn') {
        const fields: number[] = [];
        const limits = [0xffff, 0xff, 0xff, MAX_U32];
        for (let f = 0; f < 4; f++) {
          if (f > 0) expect(',');
          const t = next('a number');
          if (t.kind !== 'number') throw err(`.insn takes four numbers: code, jt, jf, k`, lineNo, t.column);
          const v = parseNumber(t.text);
          if (v > limits[f]!)
            throw err(`${t.text} is out of range for this field (0..${limits[f]})`, lineNo, t.column);
          fields.push(v);
        }
        done();
        emit(
          { code: fields[0]!, k: fields[3]!, jt: { offset: fields[1]! }, jf: { offset: fields[2]! } },
          col,
        );
        return;
      }
      throw err(`unknown directive '${first.text}' (known: .arch, .insn)`, lineNo, col);
    }

    const word = next('an instruction').text;
    switch (word) {
      case 'A': {
        const op = next("'=' or an operator");
        if (op.text === '=') {
          const t = peek();
          if (t?.text === 'X') {
            i++;
            done();
            return emit({ code: BPF_MISC | BPF_TXA, k: 0 }, col);
          }
          if (t?.text === '-' && peek(1)?.text === 'A') {
            i += 2;
            done();
            return emit({ code: BPF_ALU | BPF_NEG, k: 0 }, col);
          }
          if (t?.text === 'len') {
            i++;
            done();
            return emit({ code: BPF_LD | BPF_W | BPF_LEN, k: 0 }, col);
          }
          if ((t?.text === 'M' || t?.text === 'mem') && peek(1)?.text === '[') {
            i++;
            const m = index('a scratch slot', BPF_MEMWORDS - 1);
            done();
            return emit({ code: BPF_LD | BPF_MEM, k: m }, col);
          }
          const load = (k: number) => {
            done();
            emit({ code: BPF_LD | BPF_W | BPF_ABS, k }, col);
          };
          if (t?.text === 'sys_number' || t?.text === 'nr') {
            i++;
            return load(SECCOMP_DATA_NR);
          }
          if (t?.text === 'arch') {
            i++;
            return load(SECCOMP_DATA_ARCH);
          }
          if (t?.text === 'instruction_pointer' || t?.text === 'ip') {
            i++;
            return load(ipOffsets(littleEndian())[highOrLow()]);
          }
          if (t?.text === 'args' && peek(1)?.text === '[') {
            i++;
            const a = index('an argument number', 5);
            return load(argOffsets(a, littleEndian())[highOrLow()]);
          }
          if (t?.text === 'data' && peek(1)?.text === '[') {
            i++;
            return load(index('a byte offset', MAX_U32));
          }
          const k = constant('a value');
          done();
          return emit({ code: BPF_LD | BPF_IMM, k }, col);
        }
        const alu = ALU_ASSIGN[op.text];
        if (alu === undefined)
          throw err(`expected '=' or an operator like '+=', found '${op.text}'`, lineNo, op.column);
        if (accept('X')) {
          done();
          return emit({ code: BPF_ALU | alu | BPF_X, k: 0 }, col);
        }
        const k = constant('a value or X');
        done();
        return emit({ code: BPF_ALU | alu | BPF_K, k }, col);
      }
      case 'X': {
        expect('=');
        const t = peek();
        if (t?.text === 'A') {
          i++;
          done();
          return emit({ code: BPF_MISC | BPF_TAX, k: 0 }, col);
        }
        if (t?.text === 'len') {
          i++;
          done();
          return emit({ code: BPF_LDX | BPF_W | BPF_LEN, k: 0 }, col);
        }
        if ((t?.text === 'M' || t?.text === 'mem') && peek(1)?.text === '[') {
          i++;
          const m = index('a scratch slot', BPF_MEMWORDS - 1);
          done();
          return emit({ code: BPF_LDX | BPF_MEM, k: m }, col);
        }
        const k = constant('a value');
        done();
        return emit({ code: BPF_LDX | BPF_IMM, k }, col);
      }
      case 'M':
      case 'mem': {
        const m = index('a scratch slot', BPF_MEMWORDS - 1);
        expect('=');
        const src = next("'A' or 'X'");
        if (src.text !== 'A' && src.text !== 'X') {
          throw err(`only A or X can be stored in scratch memory, found '${src.text}'`, lineNo, src.column);
        }
        done();
        return emit({ code: src.text === 'A' ? BPF_ST : BPF_STX, k: m }, col);
      }
      case 'goto': {
        const t = target();
        done();
        return emit({ code: BPF_JMP | BPF_JA, k: 0, ja: t }, col);
      }
      case 'if': {
        expect('(');
        let negate = false;
        let op: number;
        let operandIsX = false;
        let k = 0;
        const operand = (): void => {
          if (accept('X')) operandIsX = true;
          else k = constant('a value or X');
        };
        if (accept('!')) {
          expect('(');
          expect('A');
          expect('&');
          operand();
          expect(')');
          op = BPF_JSET;
          negate = true;
        } else {
          expect('A');
          const c = next('a comparison');
          if (c.text === '&') op = BPF_JSET;
          else {
            const cmp = COMPARISONS[c.text];
            if (cmp === undefined) {
              throw err(`expected ==, !=, >, >=, <, <= or &, found '${c.text}'`, lineNo, c.column);
            }
            [op, negate] = cmp;
          }
          operand();
        }
        expect(')');
        expect('goto');
        const whenTrue = target();
        let whenFalse: Target = { offset: 0 };
        if (accept('else')) {
          expect('goto');
          whenFalse = target();
        }
        done();
        const code = BPF_JMP | op | (operandIsX ? BPF_X : BPF_K);
        return emit(
          negate ? { code, k, jt: whenFalse, jf: whenTrue } : { code, k, jt: whenTrue, jf: whenFalse },
          col,
        );
      }
      case 'return':
      case 'ret': {
        if (accept('A')) {
          done();
          return emit({ code: BPF_RET | BPF_A, k: 0 }, col);
        }
        const t = next('an action, a number or A');
        let k: number;
        const name = t.text.toUpperCase();
        if (t.kind === 'number') k = checkU32(parseNumber(t.text), t);
        else if (t.kind === 'ident' && ACTIONS_WITH_DATA[name] !== undefined) {
          expect('(');
          const d = next('the action data');
          let data: number;
          if (d.kind === 'number') data = parseNumber(d.text);
          else if (d.kind === 'ident' && name === 'ERRNO') {
            const e = errnoNumber(d.text, arch);
            if (e === undefined) throw err(`unknown errno name '${d.text}'`, lineNo, d.column);
            data = e;
          } else throw err(`expected a number in ${name}(...), found '${d.text}'`, lineNo, d.column);
          if (data > 0xffff) throw err(`${name} data ${d.text} does not fit in 16 bits`, lineNo, d.column);
          expect(')');
          k = (ACTIONS_WITH_DATA[name]! | data) >>> 0;
        } else if (t.kind === 'ident' && ACTIONS_WITHOUT_DATA[name] !== undefined) {
          k = ACTIONS_WITHOUT_DATA[name]! >>> 0;
        } else {
          throw err(
            `unknown action '${t.text}' (ALLOW, LOG, USER_NOTIF, KILL_THREAD, KILL_PROCESS, ERRNO(n), TRAP(n), TRACE(n), a number, or A)`,
            lineNo,
            t.column,
          );
        }
        done();
        return emit({ code: BPF_RET | BPF_K, k }, col);
      }
      default:
        throw err(`unknown instruction starting with '${word}'`, lineNo, col);
    }
  };
  lines.forEach((raw, lineIndex) => {
    parseLine(raw, lineIndex + 1);
  });

  return pending.map((p, pc) => {
    const resolve = (t: Target | undefined, max: number, what: string): number => {
      if (t === undefined) return 0;
      if ('offset' in t) {
        if (t.offset > max)
          throw err(`${what} +${t.offset} is out of range (at most ${max})`, p.line, p.column);
        return t.offset;
      }
      let dest: number | undefined;
      let name: string;
      if ('pc' in t) {
        dest = t.pc;
        name = `instruction ${t.pc}`;
      } else {
        dest = labels.get(t.label);
        name = `'${t.label}'`;
        if (dest === undefined) throw err(`undefined label '${t.label}'`, p.line, t.column);
      }
      const off = dest - (pc + 1);
      if (off < 0) throw err(`jump to ${name} goes backwards; BPF jumps go forward only`, p.line, t.column);
      if (off > max) {
        throw err(
          `${what} to ${name} is ${off} instructions away; a conditional jump reaches at most ${max} (jump to a 'goto' instead)`,
          p.line,
          t.column,
        );
      }
      return off;
    };
    if (p.ja !== undefined) return { code: p.code, jt: 0, jf: 0, k: resolve(p.ja, MAX_U32, 'goto') };
    return { code: p.code, jt: resolve(p.jt, 255, 'jump'), jf: resolve(p.jf, 255, 'jump'), k: p.k >>> 0 };
  });
}

/** The architecture of the first AUDIT_ARCH_* / ARCH_* name in the program, if any. */
function firstCheckedArch(lines: readonly string[]): Arch | undefined {
  for (const [index, raw] of lines.entries()) {
    const body = stripComment(raw);
    if (/^\s*\./.test(body)) continue;
    let tokens: Token[];
    try {
      tokens = tokenize(body, index + 1);
    } catch {
      continue; // reported properly by the main pass
    }
    for (const t of tokens) {
      if (t.kind !== 'ident') continue;
      const v = archConstant(t.text);
      if (v !== undefined) return archByAuditValue(v);
    }
  }
  return undefined;
}
