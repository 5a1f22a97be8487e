/**
 * `sb syscalls`: look up syscall numbers, argument meanings and groups for any
 * architecture. Plain output is made for scripts (`sb syscalls openat` prints
 * the number alone); -v is for people; --json carries every field.
 */
import {
  type Arch,
  arches,
  errnoName,
  errnoNumber,
  expandGroup,
  findGroup,
  getArch,
  groups,
  nativeArch,
  resolveSyscall,
  type Syscall,
  signalName,
  signalNumber,
  syscallByName,
  UnknownArchError,
  UnknownGroupError,
  UnknownSyscallError,
} from '@sb/syscalls';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { stdoutStyle } from '../style.js';

interface Options {
  arch?: string;
  json?: boolean;
  verbose?: boolean;
  group?: string;
  listArches?: boolean;
  listGroups?: boolean;
  errno?: string;
  signal?: string;
}

/** Turns the package's lookup errors into one-line usage errors (exit 2). */
function userErrors<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof UnknownArchError || e instanceof UnknownSyscallError || e instanceof UnknownGroupError) {
      throw new UsageError(e.message);
    }
    throw e;
  }
}

const hex = (n: number) => `0x${n.toString(16)}`;
const print = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const printJson = (v: unknown) => print(JSON.stringify(v, null, 2));

function syscallJson(s: Syscall, arch: Arch) {
  return {
    name: s.name,
    nr: s.nr,
    arch: arch.name,
    auditArch: arch.auditArch,
    auditArchName: arch.auditArchName,
    syscallBit: arch.syscallBit,
    syscallBase: arch.syscallBase,
    implemented: s.implemented,
    since: s.since,
    groups: s.groups,
    argsKnown: s.argsKnown,
    args: s.args.map((a, index) => ({ index, name: a.name, type: a.type, kind: a.kind })),
  };
}

function pad(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function describeSyscall(s: Syscall, arch: Arch): string {
  const st = stdoutStyle();
  const lines = [
    `${st.bold(s.name)}  ${s.nr} (${hex(s.nr)}) on ${arch.name} (${arch.auditArchName} ${hex(arch.auditArch)})`,
  ];
  if (!s.implemented) lines.push(`  ${st.yellow('reserved: the kernel implements nothing here (ENOSYS)')}`);
  lines.push(`  since   ${s.since ?? 'unknown'}`);
  lines.push(`  groups  ${s.groups.length > 0 ? s.groups.join(' ') : '-'}`);
  if (!s.argsKnown) lines.push('  args    unknown');
  else if (s.args.length === 0) lines.push('  args    none');
  else {
    const rows = pad(s.args.map((a, i) => [String(i), a.name, a.type, a.kind]));
    lines.push(...rows.map((r, i) => `  ${i === 0 ? 'args' : '    '}    ${r}`));
  }
  return lines.join('\n');
}

function lookupSyscalls(names: string[], arch: Arch, opts: Options): void {
  const found = names.map((n) => ({ input: n, s: userErrors(() => resolveSyscall(arch, n)) }));
  if (opts.json) {
    const all = found.map(({ s }) => syscallJson(s, arch));
    printJson(all.length === 1 ? all[0] : all);
  } else if (opts.verbose) {
    print(found.map(({ s }) => describeSyscall(s, arch)).join('\n\n'));
  } else {
    // A name prints its number, a number its name: one answer per line, for scripts.
    print(
      found
        .map(({ input, s }) => (/^(\d+|0x[0-9a-f]+)$/i.test(input.trim()) ? s.name : String(s.nr)))
        .join('\n'),
    );
  }
}

function showGroup(name: string, arch: Arch, opts: Options): void {
  const members = userErrors(() => expandGroup(name));
  const g = findGroup(name)!;
  const present = members.flatMap((n) => {
    const s = syscallByName(arch, n);
    return s ? [s] : [];
  });
  const absent = members.filter((n) => !syscallByName(arch, n));
  if (opts.json) {
    printJson({
      group: g.name,
      description: g.description,
      arch: arch.name,
      members: g.members,
      syscalls: present.map((s) => ({ name: s.name, nr: s.nr })),
      absent,
    });
  } else if (opts.verbose) {
    const st = stdoutStyle();
    print(
      [
        `${st.bold(g.name)}: ${g.description} (${present.length} on ${arch.name}, ${absent.length} absent there)`,
        ...pad(present.map((s) => [s.name, String(s.nr)])).map((l) => `  ${l}`),
      ].join('\n'),
    );
  } else {
    print(present.map((s) => s.name).join('\n'));
  }
}

function listArches(opts: Options): void {
  const all = arches();
  if (opts.json) {
    printJson(all);
    return;
  }
  const rows = [
    ['NAME', 'AUDIT_ARCH', 'VALUE', 'BITS', 'ENDIAN', 'ALIASES'],
    ...all.map((a) => [
      a.name,
      a.auditArchName,
      hex(a.auditArch),
      String(a.bits),
      a.endian,
      a.aliases.join(' '),
    ]),
  ];
  print(pad(rows).join('\n'));
}

function listGroups(opts: Options): void {
  if (opts.json) {
    printJson(groups());
    return;
  }
  print(pad(groups().map((g) => [g.name, g.description])).join('\n'));
}

function numberedLookup(
  kind: 'errno' | 'signal',
  value: string,
  arch: Arch,
  opts: Options,
  byName: (a: Arch, n: string) => number | undefined,
  byNumber: (a: Arch, n: number) => string | undefined,
): void {
  const isNumber = /^\d+$/.test(value.trim());
  const name = isNumber ? byNumber(arch, Number(value)) : value.trim().toUpperCase();
  const number = isNumber ? Number(value) : byName(arch, value);
  if (name === undefined || number === undefined)
    throw new UsageError(`unknown ${kind} '${value}' on ${arch.name}`);
  if (opts.json)
    printJson({
      kind,
      name: kind === 'signal' && !name.startsWith('SIG') ? `SIG${name}` : name,
      number,
      arch: arch.name,
    });
  else print(isNumber ? name : String(number));
}

export function registerSyscalls(program: Command): void {
  program
    .command('syscalls')
    .description('Look up syscall numbers, arguments and groups for any architecture')
    .argument('[syscall...]', 'syscall names or numbers (decimal or 0x hex)')
    .option('-a, --arch <arch>', 'architecture (ABI) name or alias; default: the one sb runs on')
    .option(
      '-g, --group <group>',
      'list the syscalls of a group such as @file-system (nested groups expanded)',
    )
    .option('--list-arches', 'list the architectures, their AUDIT_ARCH values and aliases')
    .option('--list-groups', 'list the syscall groups')
    .option('--errno <name|number>', 'look up an errno value on the architecture')
    .option('--signal <name|number>', 'look up a signal number on the architecture')
    .option('--json', 'print every field as JSON')
    .option('-v, --verbose', 'print a readable description instead of the bare answer')
    .addHelpText(
      'after',
      `
Examples:
  sb syscalls openat --arch x86_64       257
  sb syscalls 56 --arch aarch64          openat
  sb syscalls -v clone --arch s390x      arguments in this ABI's register order
  sb syscalls --json connect             all fields
  sb syscalls --group @file-system       one name per line
  sb syscalls --errno EAGAIN --arch mips`,
    )
    .action((names: string[], opts: Options) => {
      if (opts.listArches) return listArches(opts);
      if (opts.listGroups) return listGroups(opts);
      const arch = userErrors(() => (opts.arch !== undefined ? getArch(opts.arch) : nativeArch()));
      if (opts.errno !== undefined)
        return numberedLookup('errno', opts.errno, arch, opts, errnoNumber, errnoName);
      if (opts.signal !== undefined)
        return numberedLookup('signal', opts.signal, arch, opts, signalNumber, signalName);
      if (opts.group !== undefined) {
        if (names.length > 0) throw new UsageError('give either syscall names or --group, not both');
        return showGroup(opts.group, arch, opts);
      }
      if (names.length === 0) {
        throw new UsageError(
          'give a syscall NAME or NUMBER, --group GROUP, --list-arches or --list-groups (see sb syscalls --help)',
        );
      }
      lookupSyscalls(names, arch, opts);
    });
}
