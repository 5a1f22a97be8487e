import { readFileSync } from 'node:fs';
import {
  AsmError,
  actionName,
  assemble,
  check,
  decode,
  disassemble,
  disassembleItems,
  emulate,
  formatProgram,
  fromHex,
  INPUT_FORMATS,
  type Insn,
  OUTPUT_FORMATS,
  type OutputFormat,
} from '@sb/bpf';
import { type Arch, getArch, nativeArch, resolveSyscall } from '@sb/syscalls';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { stderrStyle, stdoutStyle } from '../style.js';
import { registerBpfCompile } from './bpf-compile.js';

/** Where a program comes from: a file, or stdin for '-' or no argument. */
interface Source {
  name: string;
  bytes: Buffer;
}

function readSource(file: string | undefined): Source {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) {
      throw new UsageError('no FILE given and stdin is a terminal: give a FILE, or pipe the program in');
    }
    return { name: '<stdin>', bytes: readFileSync(0) };
  }
  try {
    return { name: file, bytes: readFileSync(file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

function archOption(name: string | undefined): Arch | undefined {
  if (name === undefined) return undefined;
  try {
    return getArch(name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

const HEX_TEXT = /^(?:[0-9a-fA-F\s]|#[^\n]*)*$/;

type ProgramInput = 'auto' | 'text' | 'raw' | 'hex';

/** Reads a program as text (assembled), raw sock_filter bytes or a hex dump; 'auto' tells them apart. */
function readProgram(src: Source, input: ProgramInput, arch: Arch | undefined): Insn[] {
  let kind = input;
  const littleEndian = (arch ?? nativeArch()).endian === 'little';
  if (kind === 'auto') {
    // Real programs always hold zero bytes; text and hex never do.
    if (src.bytes.includes(0)) kind = 'raw';
    else {
      const text = src.bytes.toString('utf8');
      kind = HEX_TEXT.test(text) && /[0-9a-fA-F]/.test(text) ? 'hex' : 'text';
    }
  }
  try {
    if (kind === 'raw') return decode(new Uint8Array(src.bytes), littleEndian);
    if (kind === 'hex') return fromHex(src.bytes.toString('utf8'), littleEndian);
    return assemble(src.bytes.toString('utf8'), { source: src.name, ...(arch ? { arch: arch.name } : {}) });
  } catch (e) {
    if (e instanceof AsmError) throw new UsageError(e.message, 1);
    throw new UsageError(`${src.name}: ${(e as Error).message}`, 1);
  }
}

function writeOutput(out: Uint8Array | string): void {
  if (typeof out !== 'string' && process.stdout.isTTY) {
    throw new UsageError(
      'refusing to write raw bytes to a terminal: redirect stdout, or use --format hex|c|text',
    );
  }
  process.stdout.write(out);
}

/** 64-bit argument values: decimal, 0x hex, 0o octal, 0b binary, or negative (two's complement). */
function parseU64(flag: string, text: string): bigint {
  const t = text.trim();
  const m = /^(-)?(0x[0-9a-f]+|0o[0-7]+|0b[01]+|[0-9]+)$/i.exec(t);
  if (!m) throw new UsageError(`${flag} ${JSON.stringify(text)} is not a number`);
  const v = BigInt(m[2]!);
  const signed = m[1] ? -v : v;
  if (signed < -(1n << 63n) || signed >= 1n << 64n)
    throw new UsageError(`${flag} ${text} does not fit in 64 bits`);
  return BigInt.asUintN(64, signed);
}

const inputOption = (formats: readonly string[]) =>
  new Option('--input <format>', 'input format').choices(['auto', ...formats]).default('auto');

/** `sb bpf ...`: the seccomp filter toolchain. */
export function registerBpf(program: Command): Command {
  const bpf = program
    .command('bpf')
    .description('Assemble, disassemble, verify and emulate seccomp BPF filters (see @sb/bpf)');

  bpf
    .command('asm')
    .description('Assemble the text form into a filter')
    .argument('[file]', "text-form program ('-' or none: stdin)")
    .option('--arch <arch>', 'architecture for syscall names, args[] halves and byte order')
    .addOption(new Option('--format <format>', 'output format').choices(OUTPUT_FORMATS).default('raw'))
    .option('--name <ident>', 'C array name (--format c)', 'filter')
    .action((file: string | undefined, opts: { arch?: string; format: OutputFormat; name: string }) => {
      const arch = archOption(opts.arch);
      const src = readSource(file);
      const prog = readProgram(src, 'text', arch);
      const verdict = check(prog);
      if (!verdict.ok) {
        process.stderr.write(
          `${stderrStyle().yellow('warning:')} the kernel would reject this program: ${verdict.message}\n`,
        );
      }
      writeOutput(
        formatProgram(prog, opts.format, { ...(arch ? { arch: arch.name } : {}), name: opts.name }),
      );
    });

  bpf
    .command('disasm')
    .description('Disassemble a filter into the text form')
    .argument('[file]', "filter ('-' or none: stdin)")
    .addOption(inputOption(INPUT_FORMATS))
    .option(
      '--arch <arch>',
      'architecture for syscall names and byte order (default: what the program checks, else the host)',
    )
    .option('--pc', "show each instruction's index")
    .action((file: string | undefined, opts: { input: ProgramInput; arch?: string; pc?: boolean }) => {
      const arch = archOption(opts.arch);
      const prog = readProgram(readSource(file), opts.input, arch);
      process.stdout.write(
        disassemble(prog, { ...(arch ? { arch: arch.name } : {}), pcs: opts.pc === true }),
      );
    });

  bpf
    .command('verify')
    .description("Check a filter against the kernel's seccomp acceptance rules (exit 0: loads, 1: rejected)")
    .argument('[file]', "filter: text form, raw bytes or hex ('-' or none: stdin)")
    .addOption(inputOption(['text', ...INPUT_FORMATS]))
    .option('--arch <arch>', 'architecture for names in the text form and the byte order of raw input')
    .action((file: string | undefined, opts: { input: ProgramInput; arch?: string }) => {
      const arch = archOption(opts.arch);
      const src = readSource(file);
      const prog = readProgram(src, opts.input, arch);
      const verdict = check(prog);
      if (!verdict.ok) throw new UsageError(`${src.name}: ${verdict.message}`, 1);
      process.stdout.write(`${src.name}: ok (${prog.length} instruction${prog.length === 1 ? '' : 's'})\n`);
    });

  const emulateCmd = bpf
    .command('emulate')
    .description('Run a filter against one syscall, as the kernel would, and print the action')
    .argument('[file]', "filter: text form, raw bytes or hex ('-' or none: stdin)")
    .addOption(inputOption(['text', ...INPUT_FORMATS]))
    .option('--arch <arch>', "architecture of the syscall (default: this machine's)")
    .requiredOption('--syscall <name|nr>', 'syscall name or number')
    .option('--ip <value>', 'instruction pointer', '0')
    .option('--trace', 'print every instruction executed');
  for (let i = 0; i < 6; i++) emulateCmd.option(`--arg${i} <value>`, `argument ${i} (u64)`);
  emulateCmd.action(
    (
      file: string | undefined,
      opts: { input: ProgramInput; arch?: string; syscall: string; ip: string; trace?: boolean } & Record<
        string,
        string | undefined
      >,
    ) => {
      const arch = archOption(opts.arch) ?? nativeArch();
      const src = readSource(file);
      const prog = readProgram(src, opts.input, arch);
      let nr: number;
      if (/^-?\d+$/.test(opts.syscall)) nr = Number(opts.syscall);
      else {
        try {
          nr = resolveSyscall(arch, opts.syscall).nr;
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
      }
      const args = [0, 1, 2, 3, 4, 5].map((i) => {
        const v = opts[`arg${i}`];
        return v === undefined ? 0n : parseU64(`--arg${i}`, v);
      });
      const verdict = check(prog);
      const r = emulate(
        prog,
        { nr, arch: arch.auditArch, ip: parseU64('--ip', opts.ip), args },
        {
          littleEndian: arch.endian === 'little',
        },
      );
      const style = stdoutStyle();
      const lines: string[] = [];
      if (opts.trace) {
        const { items } = disassembleItems(prog, { arch: arch.name });
        for (const pc of r.trace) {
          const item = items[pc]!;
          lines.push(
            `${style.dim(`${item.label ?? ''}`.padStart(5))} ${style.dim(String(pc).padStart(4))}  ${item.text}`,
          );
        }
      }
      const hex = `0x${r.action.toString(16).padStart(8, '0')}`;
      lines.push(
        `${style.bold(actionName(r.action))} (${hex}) after ${r.executed} instruction${r.executed === 1 ? '' : 's'}`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      if (r.fault !== undefined) process.stderr.write(`${stderrStyle().yellow('fault:')} ${r.fault}\n`);
      if (!verdict.ok)
        throw new UsageError(`${src.name}: the kernel would not load this program: ${verdict.message}`, 1);
    },
  );

  registerBpfCompile(bpf);
  return bpf;
}
