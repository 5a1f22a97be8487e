import { Command } from 'commander';
import { VERSION } from './version.js';

type Register = (program: Command) => unknown;

/**
 * Subcommands, loaded on demand: each pulls in a different part of the toolkit
 * (koffi, the policy engine, the BPF compiler), and loading all of them for every
 * invocation would add hundreds of milliseconds to `sb run`'s start-up.
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Register> }[] = [
  {
    name: 'run',
    summary: 'Run a program in a sandbox under a policy (default profile when none is given)',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  {
    name: 'features',
    summary: 'Show what this kernel offers and which backend `sb run` would use',
    load: async () => (await import('./commands/features.js')).registerFeatures,
  },
  {
    name: 'learn',
    summary: 'Run a program with everything allowed and write a policy that allows what it used',
    load: async () => (await import('./commands/learn.js')).registerLearn,
  },
  {
    name: 'explain',
    summary: 'Explain the violations of a JSON log: which rule decided and what would allow it',
    load: async () => (await import('./commands/explain.js')).registerExplain,
  },
  {
    name: 'trace',
    summary: 'Run a program under the tracer and log its syscalls (strace-like)',
    load: async () => (await import('./commands/trace.js')).registerTrace,
  },
  {
    name: 'syscalls',
    summary: 'Look up syscall numbers, arguments and groups for any architecture',
    load: async () => (await import('./commands/syscalls.js')).registerSyscalls,
  },
  {
    name: 'bpf',
    summary: 'Assemble, disassemble, verify, emulate and compile seccomp BPF filters',
    load: async () => (await import('./commands/bpf.js')).registerBpf,
  },
  {
    name: 'completion',
    summary: 'Print a shell completion script (bash, zsh or fish)',
    load: async () => (await import('./commands/completion.js')).registerCompletion,
  },
];

const ROOT_HELP = `
Examples:
  sb run -- make                          build under the default profile
  sb run -p readonly -- sh -c 'ls /etc'   run with nothing writable
  sb learn -O build.yaml -- make          write a policy from what a run used
  sb run -c build.yaml --log v.jsonl -- make && sb explain v.jsonl
  sb features                             what this kernel offers, which backend
  sb trace -f openat,execve -- ls /       strace-like syscall log
  source <(sb completion bash)            shell completion (also zsh, fish)

Exit status: sb run and sb trace exit with the program's status (128 + signal when
it was killed; see 'sb help run'); 2: bad usage, an unreadable or invalid file;
70: internal error. 'sb help COMMAND' shows each command's options and examples.`;

/** The subcommand argv asks for (`sb help X` counts as X), if any. */
function requestedCommand(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('sb')
    .description(
      'Confine Linux processes: ptrace + seccomp-bpf, namespaces, seccomp user notification, Landlock.',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) })
    .addHelpText('after', ROOT_HELP);
  const wanted = requestedCommand(argv);
  for (const cmd of COMMANDS) {
    if (cmd.name === wanted) {
      const register = await cmd.load();
      register(program);
    } else {
      // Listed in `sb --help` and known to the "did you mean" logic, not loaded.
      program.command(cmd.name).description(cmd.summary);
    }
  }
  return program;
}
