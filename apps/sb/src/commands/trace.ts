import { closeSync, openSync, writeSync } from 'node:fs';
import {
  type AbiName,
  type DecodedArg,
  decodeArgs,
  describeFeatures,
  formatReturn,
  LaunchError,
  probe,
  type SyscallStop,
  shellStatus,
  signalName,
  Tracer,
  traceFilter,
} from '@sb/ptrace';
import {
  expandGroup,
  nativeArch,
  resolveSyscall,
  type Syscall,
  syscallByNumber,
  UnknownGroupError,
  UnknownSyscallError,
} from '@sb/syscalls';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

interface TraceOptions {
  filter?: string;
  output?: string;
  json?: boolean;
  probe?: boolean;
}

const X32_BIT = 0x40000000;
/** Calls that do not come back: shown at entry with `= ?`. */
const NO_RETURN = new Set(['exit', 'exit_group', 'rt_sigreturn', 'sigreturn']);

/** Names selected by --filter: syscall names, numbers of the native ABI, and @groups. */
export function selectSyscalls(spec: string): Set<string> {
  const arch = nativeArch();
  const names = new Set<string>();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    try {
      if (item.startsWith('@')) for (const n of expandGroup(item)) names.add(n);
      else names.add(resolveSyscall(arch, item).name);
    } catch (e) {
      if (e instanceof UnknownSyscallError || e instanceof UnknownGroupError) {
        throw new UsageError(`--filter: ${e.message}`);
      }
      throw e;
    }
  }
  if (names.size === 0)
    throw new UsageError('--filter: no syscall named (use names, numbers or @groups, comma-separated)');
  return names;
}

interface Pending {
  readonly meta: Syscall | undefined;
  readonly name: string;
  readonly abi: AbiName | null;
  readonly args: DecodedArg[];
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('Run a program under the tracer and log its syscalls (strace-like), following every process')
    .option(
      '-f, --filter <syscalls>',
      'only these syscalls: names, numbers, @groups, comma-separated (default: all)',
    )
    .option('-o, --output <file>', 'write the log to FILE instead of stderr')
    .option('--json', 'one JSON object per line (syscalls, execs, exits)')
    .option('--probe', 'print the kernel features the tracer found and exit')
    .argument('[command...]', 'the program and its arguments (after --)')
    .addHelpText(
      'after',
      '\nExamples:\n  sb trace -- ls /\n  sb trace --filter openat,execve,@process -o trace.log -- make\n  sb trace --json -- sh -c "echo hi > /tmp/x"\n\nExits with the program\'s status, or 128 + signal when it was killed.',
    )
    .action((command: string[], opts: TraceOptions) => {
      if (opts.probe) {
        process.stdout.write(`${describeFeatures(probe()).join('\n')}\n`);
        return;
      }
      if (command.length === 0) throw new UsageError('trace: name a program to run, e.g. `sb trace -- ls /`');
      process.exitCode = runTrace(command, opts);
    });
}

function runTrace(command: string[], opts: TraceOptions): number {
  const arch = nativeArch();
  const selected = opts.filter === undefined ? undefined : selectSyscalls(opts.filter);
  const nrs =
    selected === undefined
      ? undefined
      : [...selected].flatMap((n) => {
          const s = resolveSyscallOrNull(arch.name, n);
          return s === null ? [] : [s.nr];
        });
  // Trap only the selected calls of the native ABI (foreign ABIs are trapped whole
  // and filtered by name here); nrs may be empty when a group has no native member.
  const filter = traceFilter({
    auditArch: arch.auditArch,
    subAbiBit: arch.name === 'x86_64' ? X32_BIT : 0,
    trace: nrs === undefined ? undefined : nrs.length > 250 ? undefined : nrs,
  });

  let out: number;
  try {
    out = opts.output === undefined ? 2 : openSync(opts.output, 'w');
  } catch (e) {
    throw new UsageError(`-o ${opts.output}: ${(e as Error).message}`);
  }
  const write = (s: string) => writeSync(out, s);
  // The terminal sends ^C / ^\ to the program too; sb stays to report its end.
  const ignore = () => {};
  process.on('SIGINT', ignore);
  process.on('SIGQUIT', ignore);

  const tracer = new Tracer();
  let root: number;
  try {
    root = tracer.launch({ argv: command, filter });
  } catch (e) {
    if (e instanceof LaunchError) throw new UsageError(`trace: cannot run ${command[0]}: ${e.message}`, 127);
    throw e;
  }
  const pending = new Map<number, Pending>();
  const abiName = (abi: AbiName | null) => abi ?? 'unknown';
  const metaOf = (s: SyscallStop): Syscall | undefined => (s.abi === null ? undefined : lookup(s.abi, s.nr));
  const emit = (tid: number, p: Pending, ret: bigint | null) => {
    if (opts.json) {
      write(
        `${JSON.stringify({
          type: 'syscall',
          pid: tid,
          abi: abiName(p.abi),
          name: p.name,
          args: p.args.map((a) => ({
            name: a.name,
            kind: a.kind,
            value: a.raw.toString(),
            ...(a.bytes !== undefined ? { string: a.bytes.toString('latin1') } : {}),
            ...(a.error !== undefined ? { error: a.error } : {}),
            text: a.text,
          })),
          ret: ret === null ? null : ret.toString(),
          ...(ret !== null && ret < 0n && ret > -4096n ? { errno: formatReturn(ret).slice(3) } : {}),
        })}\n`,
      );
      return;
    }
    const abiTag = p.abi !== arch.name ? `[${abiName(p.abi)}] ` : '';
    write(
      `[pid ${tid}] ${abiTag}${p.name}(${p.args.map((a) => a.text).join(', ')}) = ${formatReturn(ret)}\n`,
    );
  };

  // The program's own execve happened during the launch, before the tracer loop.
  if (selected === undefined || selected.has('execve')) {
    const argv = `[${command.map((a) => JSON.stringify(a)).join(', ')}]`;
    if (opts.json) {
      write(
        `${JSON.stringify({ type: 'syscall', pid: root, abi: arch.name, name: 'execve', argv: command, ret: '0' })}\n`,
      );
    } else {
      write(`[pid ${root}] execve(${JSON.stringify(command[0])}, ${argv}, [/* environment */]) = 0\n`);
    }
  }
  const r = tracer.run({
    syscall(stop) {
      const meta = metaOf(stop);
      const name = meta?.name ?? `syscall_${stop.nr}`;
      if (selected !== undefined && !selected.has(name)) return undefined;
      const p: Pending = {
        meta,
        name,
        abi: stop.abi,
        args: decodeArgs(meta, stop.abi, stop.args, tracer.memory, stop.tid),
      };
      if (NO_RETURN.has(name)) {
        emit(stop.tid, p, null);
        return undefined;
      }
      pending.set(stop.tid, p);
      return { action: 'allow', exit: true };
    },
    syscallExit(e) {
      const p = pending.get(e.tid);
      pending.delete(e.tid);
      if (p !== undefined) emit(e.tid, p, e.ret);
      return undefined;
    },
    exec(ev) {
      // A non-leader exec: its pending execve is now under the leader's id.
      const p = pending.get(ev.oldTid);
      if (p !== undefined && ev.oldTid !== ev.tid) {
        pending.delete(ev.oldTid);
        pending.set(ev.tid, p);
      }
      if (opts.json) write(`${JSON.stringify({ type: 'exec', pid: ev.tid, oldTid: ev.oldTid })}\n`);
    },
    exit(ev) {
      pending.delete(ev.tid);
      if (opts.json) {
        write(
          `${JSON.stringify({ type: 'exit', pid: ev.tid, code: ev.status.code, signal: ev.status.signal })}\n`,
        );
      } else if (ev.status.code !== null) {
        write(`[pid ${ev.tid}] +++ exited with ${ev.status.code} +++\n`);
      } else {
        write(
          `[pid ${ev.tid}] +++ killed by ${signalName(ev.status.signal ?? 0)}${ev.status.core ? ' (core dumped)' : ''} +++\n`,
        );
      }
    },
  });
  process.off('SIGINT', ignore);
  process.off('SIGQUIT', ignore);
  if (out !== 2) closeSync(out);
  return shellStatus(r.status);
}

const tables = new Map<string, Map<number, Syscall | undefined>>();

function lookup(abi: AbiName, nr: number): Syscall | undefined {
  let t = tables.get(abi);
  if (t === undefined) {
    t = new Map();
    tables.set(abi, t);
  }
  if (!t.has(nr)) {
    let s: Syscall | undefined;
    try {
      s = syscallByNumber(abi, nr);
    } catch {
      s = undefined;
    }
    t.set(nr, s);
  }
  return t.get(nr);
}

function resolveSyscallOrNull(arch: string, name: string): Syscall | null {
  try {
    return resolveSyscall(arch, name);
  } catch {
    return null;
  }
}
