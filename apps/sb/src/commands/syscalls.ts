import type { Command } from 'commander';

export function registerSyscalls(program: Command): void {
  program.command('syscalls').description('Look up syscalls (implemented in the foundation issue)');
}
