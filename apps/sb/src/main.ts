import { CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { buildProgram } from './program.js';
import { stderrStyle } from './style.js';

/** Runs the CLI and returns its exit status. Never throws for user errors. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (unknown option, --help, --version).
      // Help and version exit 0; every other parse error is bad usage: exit 2, as documented.
      return err.exitCode === 0 ? 0 : 2;
    }
    const style = stderrStyle();
    if (err instanceof UsageError) {
      process.stderr.write(`${style.red('sb:')} ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `${style.red('sb: internal error:')} ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 70; // EX_SOFTWARE
  }
}
