import { writeFileSync } from 'node:fs';
import { LaunchError } from '@sb/ptrace';
import { learn } from '@sb/sandbox';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

export function registerLearn(program: Command): void {
  program
    .command('learn')
    .description(
      'Run a program with everything allowed and recorded, then write a policy that allows what it used',
    )
    .requiredOption('-O, --output <file>', 'where to write the policy (YAML)')
    .argument('[command...]', 'the program and its arguments (after --)')
    .addHelpText(
      'after',
      `
Reads, writes, execs, binds and connects are recorded (stat calls are not checked by the
learned policy). The policy denies every category and allows what was used, generalised:
a directory with 3 or more used entries becomes dir/***, anything in /tmp, /var/tmp and
/dev/shm becomes that directory/***; top-level directories (/usr, /etc) are never allowed whole.

Examples:
  sb learn -O build.yaml -- make
  sb run -c build.yaml -- make        # the same build, now confined

Exit status: the program's (or 128 + signal).`,
    )
    .action(async (command: string[], opts: { output: string }) => {
      if (command.length === 0)
        throw new UsageError('learn: name a program to run, e.g. `sb learn -O p.yaml -- make`');
      let r: Awaited<ReturnType<typeof learn>>;
      try {
        r = await learn(command[0]!, command.slice(1), { stdio: ['inherit', 'inherit', 'inherit'] });
      } catch (e) {
        if (e instanceof LaunchError || (e as Error).name === 'LaunchError') {
          throw new UsageError(
            `learn: cannot run ${command[0]}: ${(e as Error).message}`,
            (e as LaunchError).errno === 2 ? 127 : 126,
          );
        }
        throw e;
      }
      try {
        writeFileSync(opts.output, r.policy);
      } catch (e) {
        throw new UsageError(`-O ${opts.output}: ${(e as Error).message}`);
      }
      process.stderr.write(`sb: learned ${r.accesses.length} accesses; policy written to ${opts.output}\n`);
      process.exitCode = r.exit.code;
    });
}
