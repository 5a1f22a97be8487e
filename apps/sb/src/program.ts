import { Command } from 'commander';
import { registerBpf } from './commands/bpf.js';
import { registerExplain } from './commands/explain.js';
import { registerFeatures } from './commands/features.js';
import { registerLearn } from './commands/learn.js';
import { registerRun } from './commands/run.js';
import { registerSyscalls } from './commands/syscalls.js';
import { registerTrace } from './commands/trace.js';
import { VERSION } from './version.js';

export function buildProgram(): Command {
  const program = new Command('sb')
    .description(
      'Confine Linux processes: ptrace + seccomp-bpf, namespaces, seccomp user notification, Landlock.',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) });
  registerSyscalls(program);
  registerBpf(program);
  registerTrace(program);
  registerRun(program);
  registerFeatures(program);
  registerLearn(program);
  registerExplain(program);
  return program;
}
