import type { Arch } from '@sb/syscalls';
import { BPF_JEQ, BPF_JMP, BPF_K, type Insn } from '../insn.js';
import { archByAuditValue, archConstantName, lookupArch, syscallName } from '../names.js';
import { analyzeFlow } from './flow.js';
import { insnText, rawInsnText } from './insn-text.js';

export interface DisassembleOptions {
  /**
   * Architecture for syscall names and for the byte order of args[] halves where
   * the program itself does not tell (by comparing seccomp_data.arch).
   */
  arch?: string;
  /** Append `# pc` to each instruction line. */
  pcs?: boolean;
}

const X32_BIT = 0x40000000;

/** The disassembly instruction by instruction (see {@link disassemble}). */
export function disassembleItems(program: readonly Insn[], opts: DisassembleOptions = {}): Disassembly {
  const n = program.length;
  const given = opts.arch !== undefined ? lookupArch(opts.arch) : undefined;
  const flow = analyzeFlow(program);

  // Which comparisons name what: a syscall (A holds nr) or an architecture (A holds arch).
  const role = program.map((insn, pc): 'nr' | 'arch' | undefined => {
    const s = flow[pc];
    if (s === undefined || (insn.code & 7) !== BPF_JMP || (insn.code & 0x08) !== BPF_K) return undefined;
    const op = insn.code & 0xf0;
    if (s.a === 'arch' && op === BPF_JEQ && archConstantName(insn.k) !== undefined) return 'arch';
    if (s.a === 'nr' && op === BPF_JEQ) return 'nr';
    return undefined;
  });

  // The assembler starts from --arch, else from the first architecture name the text compares with.
  const firstArchConst = program.findIndex((insn, pc) => role[pc] === 'arch' && insnText(insn) !== undefined);
  let lexical: Arch | undefined =
    given ?? (firstArchConst >= 0 ? archByAuditValue(program[firstArchConst]!.k) : undefined);

  const initial = lexical;
  const x32 = safeArch('x32');
  const wanted = (pc: number, k: number): Arch | undefined => {
    const checked = flow[pc]?.arch;
    let arch: Arch | undefined;
    if (checked === undefined) arch = given ?? initial;
    else arch = given?.auditArch === checked ? given : archByAuditValue(checked);
    if (arch === undefined || x32 === undefined || x32.auditArch !== arch.auditArch) return arch;
    // x32 shares AUDIT_ARCH_X86_64 and marks its numbers with __X32_SYSCALL_BIT.
    const isX32Number = (k & X32_BIT) !== 0;
    if (isX32Number && arch.syscallBit === 0 && syscallName(x32, k) !== undefined) return x32;
    if (!isX32Number && arch.syscallBit !== 0) return archByAuditValue(arch.auditArch);
    return arch;
  };

  // Labels for the targets the text will name (a zero offset in `if ... goto` is the next line, not a label).
  const labels = new Set<number>();
  program.forEach((insn, pc) => {
    insnText(insn, {
      target: (off) => {
        if (pc + 1 + off < n) labels.add(pc + 1 + off);
        return '';
      },
    });
  });

  const pinned = given === undefined && lexical !== undefined && program.some((_, pc) => role[pc] === 'nr');
  const start = pinned ? lexical : undefined;
  const items = program.map((insn, pc): DisassembledInsn => {
    let arch: string | undefined;
    let constant: ((k: number) => string | undefined) | undefined;
    if (role[pc] === 'arch') constant = (k) => archConstantName(k);
    else if (role[pc] === 'nr') {
      const want = wanted(pc, insn.k);
      const name = want !== undefined ? syscallName(want, insn.k) : undefined;
      if (want !== undefined && name !== undefined) {
        if (want.name !== lexical?.name) {
          arch = want.name;
          lexical = want;
        }
        constant = () => name;
      }
    }
    const text =
      insnText(insn, {
        littleEndian: lexical === undefined || lexical.endian === 'little',
        target: (off) => (pc + 1 + off < n ? `L${pc + 1 + off}` : `+${off}`),
        ...(constant ? { constant } : {}),
      }) ?? rawInsnText(insn);
    return { pc, text, label: labels.has(pc) ? `L${pc}` : undefined, arch };
  });
  return { start: start?.name, items };
}

/** One instruction of a disassembly. */
export interface DisassembledInsn {
  readonly pc: number;
  /** The instruction in the text form (jump targets as labels `L<pc>` or `+N`). */
  readonly text: string;
  /** The label line before it, when something jumps here. */
  readonly label: string | undefined;
  /** An `.arch` line before it, when the syscall names from here on are another architecture's. */
  readonly arch: string | undefined;
}

export interface Disassembly {
  /** The `.arch` line at the top, when the text needs one. */
  readonly start: string | undefined;
  readonly items: readonly DisassembledInsn[];
}

/**
 * The text form of a program. Every program, valid or not, disassembles to text
 * that {@link assemble} (with the same `arch`) turns back into the same bytes:
 * instructions the text form cannot spell come out as `.insn CODE, JT, JF, K`,
 * jumps leaving the program as `+N`, and wherever the flow says another
 * architecture's syscall names apply, an `.arch NAME` line says so.
 */
export function disassemble(program: readonly Insn[], opts: DisassembleOptions = {}): string {
  const d = disassembleItems(program, opts);
  const lines: string[] = [];
  if (d.start !== undefined) lines.push(`.arch ${d.start}`);
  for (const item of d.items) {
    if (item.label !== undefined) lines.push(`${item.label}:`);
    if (item.arch !== undefined) lines.push(`.arch ${item.arch}`);
    lines.push(opts.pcs ? `  ${item.text.padEnd(48)} # ${item.pc}` : `  ${item.text}`);
  }
  return `${lines.join('\n')}\n`;
}

function safeArch(name: string): Arch | undefined {
  try {
    return lookupArch(name);
  } catch {
    return undefined;
  }
}
