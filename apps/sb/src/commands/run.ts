import { closeSync, openSync, writeSync } from 'node:fs';
import { probeSeccomp } from '@sb/bpf';
import { LaunchError, probe as probePtrace } from '@sb/ptrace';
import {
  allProfileNames,
  BACKEND_REQUESTS,
  BackendError,
  type BackendRequest,
  chooseBackend,
  DEFAULT_PROFILE_DESCRIPTION,
  formatViolation,
  type PolicySource,
  prestart,
  SandboxExecDenied,
  SandboxPolicyError,
  spawn,
  type Violation,
} from '@sb/sandbox';
import { type Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { stderrStyle } from '../style.js';
import {
  launchHint,
  NS_HELP,
  namespaceUsageError,
  parseSandboxArgs,
  sandboxOptions,
  statusFds,
} from './run-ns.js';

interface RunOptions {
  config?: string[];
  magic?: string[];
  profile?: string[];
  backend: BackendRequest;
  log?: string;
  logFd?: string;
  quiet?: boolean;
}

/** Where JSON violation lines go: a file (appended), an inherited fd, or nowhere. */
function openLog(opts: RunOptions): { fd: number | null; close: () => void } {
  if (opts.log !== undefined && opts.logFd !== undefined)
    throw new UsageError('--log and --log-fd exclude each other');
  if (opts.log !== undefined) {
    try {
      const fd = openSync(opts.log, 'a', 0o600);
      return { fd, close: () => closeSync(fd) };
    } catch (e) {
      throw new UsageError(`--log ${opts.log}: ${(e as Error).message}`);
    }
  }
  if (opts.logFd !== undefined) {
    const fd = Number(opts.logFd);
    if (!/^\d+$/.test(opts.logFd) || fd < 0)
      throw new UsageError(`--log-fd: expected a file descriptor number, got '${opts.logFd}'`);
    try {
      writeSync(fd, '');
    } catch (e) {
      throw new UsageError(`--log-fd ${fd}: not writable: ${(e as Error).message}`);
    }
    return { fd, close: () => {} };
  }
  return { fd: null, close: () => {} };
}

export function registerRun(program: Command): void {
  // -c/-m/-p in command-line order (sydbox applies them in order): commander calls the parsers in order.
  const sources: PolicySource[] = [];
  const add =
    (make: (v: string) => PolicySource) =>
    (v: string, prev: string[] = []) => {
      sources.push(make(v));
      return [...prev, v];
    };
  program
    .command('run')
    .description(
      'Run a program under a policy (ptrace + seccomp-bpf): denied accesses fail with an errno and are reported',
    )
    .option(
      '-c, --config <file>',
      'policy file (.yaml, .yml, .json, or sydbox-1 .syd-1); repeatable, applied in order',
      add((file) => ({ file })),
    )
    .option(
      '-m, --magic <command>',
      "sydbox-1 magic command, e.g. 'allowlist/write+/var/tmp/***'; repeatable",
      add((magic) => ({ magic })),
    )
    .option(
      '-p, --profile <name>',
      `built-in profile (${allProfileNames().join(', ')}); repeatable`,
      add((profile) => ({ profile })),
    )
    .addOption(
      new Option(
        '--backend <name>',
        'enforcement backend: auto (the strongest usable), ptrace, unotify (seccomp user notification: race-free opens, Linux 5.9+), landlock (Landlock alone, near native speed), ptrace+landlock or unotify+landlock (Landlock beneath a supervisor); `sb features` lists them',
      )
        .choices([...BACKEND_REQUESTS])
        .default('auto'),
    )
    .option('--log <file>', 'append one JSON object per violation to FILE')
    .option('--log-fd <n>', 'write the JSON violation lines to file descriptor N')
    .option('-q, --quiet', 'no violation lines on stderr (the log still gets them)')
    .argument('[command...]', 'the program and its arguments (after --)')
    // Namespace options (bwrap's names, some with 2 arguments) arrive here unknown, in order.
    .allowUnknownOption()
    .addHelpText(
      'after',
      `
With no -c/-m/-p, the 'default' profile applies: ${DEFAULT_PROFILE_DESCRIPTION}.
Sources apply in command-line order: .syd-1 files and -m change the policy so far,
YAML/JSON files and profiles merge on top (their modes and options override, their
rules come later, and the last matching rule wins).

Examples:
  sb run -- make                            build; writes outside the tree are denied
  sb run -p readonly -- sh -c 'ls > /tmp/x' nothing may be written
  sb run -c build.yaml --log v.jsonl -- ./configure
  sb run -p paludis -m 'allowlist/write+/opt/out/***' -- make install

Each violation is one line on stderr:
  sb: deny write /etc/passwd (openat, EACCES, default: write deny) pid 123 cwd /src

Exit status: the program's, or 128 + signal when it was killed; with
core/violation/decision:killall and core/violation/exit_code:N, N after a killall.
126/127: the program could not be run / was not found; 2: bad usage or policy;
1: no backend can enforce a policy on this kernel; 70: internal error of sb.
Without seccomp filters (Linux before 3.5, or CONFIG_SECCOMP_FILTER off), sb says so
and stops the program at every syscall instead: same decisions, slower
(SB_FORCE_SYSCALL_STOPS=1 forces that mode, for comparisons).
Signals: TERM and HUP are passed to the program; INT and QUIT too when stdin is not a
terminal (from a terminal, the program gets them directly); a second one kills every
process of the sandbox. sb exits only when every process of the sandbox has ended.`,
    )
    .addHelpText('after', NS_HELP)
    .action(async (operands: string[], opts: RunOptions) => {
      const ns = parseSandboxArgs(operands);
      const command = [...ns.command];
      if (command.length === 0) throw new UsageError('run: name a program to run, e.g. `sb run -- ls /`');
      process.exitCode = await runCommand(command, opts, sources, ns);
    });
}

export async function runCommand(
  command: string[],
  opts: RunOptions,
  sources: PolicySource[],
  ns: ReturnType<typeof parseSandboxArgs> | null = null,
): Promise<number> {
  // The tracer thread starts loading now, beside the probes and the policy's compilation.
  // (A unotify supervisor runs on this thread, which only waits while the program runs.)
  prestart();
  const backend = chooseBackend(probeSeccomp(), probePtrace());
  if (backend.backend === null)
    throw new UsageError(`run: cannot enforce a policy on this kernel: ${backend.reason}`, 1);
  const style = stderrStyle();
  // No seccomp filter mode here: the tracer stops at every syscall (same decisions, slower).
  if (backend.syscallStops && !opts.quiet) process.stderr.write(`${style.yellow('sb:')} ${backend.reason}\n`);
  const log = openLog(opts);
  let sandbox: ReturnType<typeof spawn>;
  try {
    sandbox = spawn(command[0]!, command.slice(1), {
      policy: sources,
      stdio: ['inherit', 'inherit', 'inherit'],
      backend: opts.backend,
      unotifySupervisor: 'main-thread',
      ...sandboxOptions(ns),
    });
  } catch (e) {
    log.close();
    const nsError = namespaceUsageError(e);
    if (nsError) throw nsError;
    if (e instanceof SandboxPolicyError) throw new UsageError(e.message);
    // The requested backend cannot enforce this policy here: say what, never weaken silently.
    if (e instanceof BackendError) throw new UsageError(`run: ${e.message}`);
    if (e instanceof SandboxExecDenied) {
      // As a shell reports an exec it may not do: 126 (or 128+SIGKILL for kill_if_match).
      if (!opts.quiet) process.stderr.write(`${style.red('sb:')}${formatViolation(e.violation).slice(3)}\n`);
      if (log.fd !== null) writeSync(log.fd, `${JSON.stringify(e.violation)}\n`);
      return e.violation.decision === 'deny' ? 126 : 137;
    }
    if (e instanceof Error && /^(PolicyError|PolicyCompileError)$/.test(e.name))
      throw new UsageError(e.message);
    throw e;
  }
  sandbox.on('violation', (v: Violation) => {
    if (!opts.quiet) process.stderr.write(`${style.red('sb:')}${formatViolation(v).slice(3)}\n`);
    if (log.fd !== null) writeSync(log.fd, `${JSON.stringify(v)}\n`);
  });
  // The first TERM/HUP is passed on; a second one kills every process of the sandbox.
  let forwarded = 0;
  const forward = (sig: NodeJS.Signals) => () => {
    forwarded++;
    sandbox.kill(forwarded > 1 ? 'SIGKILL' : sig);
  };
  // In its own session the program gets no signals from this terminal: pass them all.
  const fromTty = process.stdin.isTTY === true && ns?.newSession === false;
  const handlers: [NodeJS.Signals, () => void][] = [
    ['SIGTERM', forward('SIGTERM')],
    ['SIGHUP', forward('SIGHUP')],
    ['SIGINT', fromTty ? () => {} : forward('SIGINT')],
    ['SIGQUIT', fromTty ? () => {} : forward('SIGQUIT')],
  ];
  for (const [s, h] of handlers) process.on(s, h);
  try {
    const status = statusFds(ns);
    sandbox.pid.then(status.started, () => {});
    const r = await sandbox.exited;
    status.exited(r.code);
    return r.code;
  } catch (e) {
    if (e instanceof LaunchError || (e as Error).name === 'LaunchError') {
      const le = e as LaunchError;
      const notFound = le.errno === 2;
      throw new UsageError(
        `run: cannot run ${command[0]}: ${le.message}${launchHint(le.step)}`,
        notFound ? 127 : 126,
      );
    }
    throw e;
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
    log.close();
  }
}
