import { readFileSync } from 'node:fs';
import { explainLog, formatViolation } from '@sb/sandbox';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { stdoutStyle } from '../style.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description(
      'Explain a JSON violation log (from sb run --log): which rule decided, and what to add to allow it',
    )
    .argument('<log>', "the log file ('-' for stdin)")
    .option('--json', 'one JSON object per distinct violation')
    .addHelpText(
      'after',
      '\nExamples:\n  sb run --log v.jsonl -- make; sb explain v.jsonl\n  sb explain - < v.jsonl',
    )
    .action((file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (e) {
        throw new UsageError(`explain: cannot read ${file}: ${(e as Error).message}`);
      }
      let list: ReturnType<typeof explainLog>;
      try {
        list = explainLog(text, file);
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      if (opts.json) {
        for (const x of list) process.stdout.write(`${JSON.stringify(x)}\n`);
        return;
      }
      if (list.length === 0) {
        process.stdout.write('no violations\n');
        return;
      }
      const st = stdoutStyle();
      const out: string[] = [];
      for (const x of list) {
        out.push(st.bold(formatViolation(x.violation) + (x.count > 1 ? ` (${x.count} times)` : '')));
        out.push(`  decided by: ${x.decidedBy}`);
        for (const f of x.fix) out.push(`  to allow: ${f}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
    });
}
