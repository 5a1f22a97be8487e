import { readFileSync, writeFileSync } from 'node:fs';
import {
  compileDetailed,
  formatProgram,
  type Insn,
  importOci,
  MOBY_DEFAULT_CAPS,
  OUTPUT_FORMATS,
  type OutputFormat,
  type Policy,
  PolicyError,
  parsePolicy,
  policyToJson,
} from '@sb/bpf';
import { nativeArch } from '@sb/syscalls';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { stderrStyle } from '../style.js';

function readText(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Policy problems are the user's: one line, exit 2. */
function userError(e: unknown): never {
  if (e instanceof PolicyError || e instanceof RangeError)
    throw new UsageError(e.message.split('\n').join('; '));
  throw e;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function emit(out: Uint8Array | string, file: string | undefined): void {
  if (file !== undefined && file !== '-') {
    try {
      writeFileSync(file, out);
    } catch (e) {
      throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
    }
    return;
  }
  if (typeof out !== 'string' && process.stdout.isTTY) {
    throw new UsageError(
      'refusing to write raw bytes to a terminal: use -o FILE, redirect stdout, or --format hex|c|text',
    );
  }
  process.stdout.write(out);
}

function compileOut(
  policy: Policy,
  opts: { format: OutputFormat | 'rules'; output?: string; stats?: boolean; name: string },
): void {
  if (opts.format === 'rules') {
    emit(`${JSON.stringify(policyToJson(policy), null, 2)}\n`, opts.output);
    return;
  }
  let program: Insn[];
  let trampolines: number;
  try {
    ({ program, trampolines } = compileDetailed(policy));
  } catch (e) {
    userError(e);
  }
  if (opts.stats) {
    process.stderr.write(
      `${stderrStyle().dim('stats:')} ${program.length} instructions, ${trampolines} long-jump fix-ups, arches ${policy.arches.join(', ')}\n`,
    );
  }
  emit(
    formatProgram(program, opts.format, { arch: policy.arches[0] as string, name: opts.name }),
    opts.output,
  );
}

const formatOption = () =>
  new Option('--format <format>', "output format ('rules': the policy as rules JSON, not compiled)")
    .choices([...OUTPUT_FORMATS, 'rules'])
    .default('raw');

/** Adds `sb bpf compile` and `sb bpf import-oci` to the `bpf` command. */
export function registerBpfCompile(bpf: Command): void {
  bpf
    .command('compile')
    .description('Compile a rules file (JSON, see the @sb/bpf README) into a verified seccomp filter')
    .argument('<rules>', "rules JSON file ('-': stdin)")
    .option('--arch <arch>', 'architecture to serve (repeatable; replaces the file\'s "arches")', collect)
    .addOption(formatOption())
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--name <ident>', 'C array name (--format c)', 'filter')
    .option('--stats', 'print the program size to stderr')
    .action(
      (
        file: string,
        opts: {
          arch?: string[];
          format: OutputFormat | 'rules';
          output?: string;
          name: string;
          stats?: boolean;
        },
      ) => {
        let policy: Policy;
        try {
          policy = parsePolicy(readText(file), file === '-' ? '<stdin>' : file);
        } catch (e) {
          userError(e);
        }
        if (opts.arch?.length) policy = { ...policy, arches: opts.arch };
        compileOut(policy, opts);
      },
    );

  bpf
    .command('import-oci')
    .description('Import an OCI/Docker seccomp profile (archMap, includes/excludes) and compile it')
    .argument('<profile>', "profile JSON ('-': stdin)")
    .option('--arch <arch>', 'native architecture of the container (default: this machine)')
    .option(
      '--caps <caps>',
      "the container's capabilities, comma-separated (CAP_SYS_ADMIN,...; 'docker-default' is Moby's default set)",
      '',
    )
    .option('--kernel <version>', 'kernel version for minKernel entries (without it they are left out: deny)')
    .addOption(formatOption())
    .option('-o, --output <file>', 'write here instead of stdout')
    .option('--name <ident>', 'C array name (--format c)', 'filter')
    .option('--stats', 'print the program size to stderr')
    .option('-v, --verbose', 'list the entries that includes/excludes left out')
    .action(
      (
        file: string,
        opts: {
          arch?: string;
          caps: string;
          kernel?: string;
          format: OutputFormat | 'rules';
          output?: string;
          name: string;
          stats?: boolean;
          verbose?: boolean;
        },
      ) => {
        if (opts.kernel !== undefined && !/^\d+(\.\d+){0,2}$/.test(opts.kernel)) {
          throw new UsageError(`--kernel ${JSON.stringify(opts.kernel)} is not a version such as 6.1`);
        }
        const caps = opts.caps
          .split(',')
          .map((c) => c.trim().toUpperCase())
          .filter(Boolean)
          .flatMap((c) =>
            c === 'DOCKER-DEFAULT' ? [...MOBY_DEFAULT_CAPS] : [c.startsWith('CAP_') ? c : `CAP_${c}`],
          );
        let imported: ReturnType<typeof importOci>;
        try {
          imported = importOci(
            readText(file),
            { arch: opts.arch ?? nativeArch().name, caps, ...(opts.kernel ? { kernel: opts.kernel } : {}) },
            file === '-' ? '<stdin>' : file,
          );
        } catch (e) {
          userError(e);
        }
        const warn = stderrStyle().yellow('note:');
        if (imported.unknown.length) {
          process.stderr.write(
            `${warn} ${imported.unknown.length} syscall name(s) exist on none of ${imported.policy.arches.join(', ')} and were skipped: ${imported.unknown.join(', ')}\n`,
          );
        }
        const needKernel = imported.excluded.filter((x) => x.includes('no kernel version was given'));
        if (needKernel.length) {
          process.stderr.write(
            `${warn} ${needKernel.length} entr(y/ies) need a minimum kernel; pass --kernel to include them\n`,
          );
        }
        if (opts.verbose) for (const x of imported.excluded) process.stderr.write(`left out: ${x}\n`);
        compileOut(imported.policy, opts);
      },
    );
}
