#!/usr/bin/env node
// Runs every package's lint, typecheck and tests through turbo, passes its output
// through, and ends with one plain summary line summed over the vitest runs
// ("tests: N passed, N failed, N skipped"). Exits with turbo's status.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const args = [
  'run',
  'lint',
  'typecheck',
  'test',
  '--continue',
  '--output-logs=new-only',
  ...process.argv.slice(2),
];
const child = spawn('turbo', args, {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});

const totals = { passed: 0, failed: 0, skipped: 0 };
// vitest's closing line per package: "Tests  3 failed | 120 passed | 2 skipped (125)"
const TESTS_LINE = /\bTests\s+((?:\d+ \w+(?: \| )?)+)\s*\(\d+\)/;
const ANSI = /\x1b\[[0-9;]*m/g;

function scan(stream, out) {
  createInterface({ input: stream }).on('line', (line) => {
    out.write(`${line}\n`);
    const m = TESTS_LINE.exec(line.replace(ANSI, ''));
    if (!m) return;
    for (const part of m[1].split('|')) {
      const [n, kind] = part.trim().split(' ');
      if (kind === 'passed' || kind === 'failed' || kind === 'skipped') totals[kind] += Number(n);
    }
  });
}
scan(child.stdout, process.stdout);
scan(child.stderr, process.stderr);

child.on('close', (code, signal) => {
  const status = code ?? 1;
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  if (signal) console.error(`turbo was killed by ${signal}`);
  process.exit(status === 0 && totals.failed > 0 ? 1 : status);
});
