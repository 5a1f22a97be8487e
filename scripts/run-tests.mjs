#!/usr/bin/env node
// Runs every package's lint, typecheck and tests through turbo, passes its output
// through, and ends with one plain summary line summed over the vitest runs
// ("tests: N passed, N failed, N skipped"). Exits with turbo's status.
//
// Turbo's tasks run interleaved, so a failure can scroll far out of a CI log that
// keeps only the tail. After turbo ends, the output of every failed task is
// repeated (its failure lines, then its last lines), just above the summary.
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
// turbo prefixes each task's lines with "pkg:task: "
const TASK_PREFIX = /^(\S+?:[\w:-]+?): /;
// turbo's closing list: "Failed:    @sb/bench#test, sb#lint"
const FAILED_LINE = /^\s*Failed:\s+(.+)$/;
const FAILURE_HINT = /FAIL|×|✗|Error|error|Unhandled|Timeout|timed out|expected|ERR_/;
const ANSI = /\x1b\[[0-9;]*m/g;
const byTask = new Map();
const failedTasks = new Set();

function scan(stream, out) {
  const rl = createInterface({ input: stream });
  rl.on('close', done);
  rl.on('line', (line) => {
    out.write(`${line}\n`);
    const plain = line.replace(ANSI, '');
    const task = TASK_PREFIX.exec(plain);
    if (task) {
      const lines = byTask.get(task[1]) ?? [];
      byTask.set(task[1], lines);
      lines.push(plain.slice(task[0].length));
    }
    const failed = FAILED_LINE.exec(plain);
    if (failed) for (const t of failed[1].split(',')) failedTasks.add(t.trim().replace('#', ':'));
    const m = TESTS_LINE.exec(plain);
    if (!m) return;
    for (const part of m[1].split('|')) {
      const [n, kind] = part.trim().split(' ');
      if (kind === 'passed' || kind === 'failed' || kind === 'skipped') totals[kind] += Number(n);
    }
  });
}

let open = 2;
function done() {
  open -= 1;
  finish();
}
scan(child.stdout, process.stdout);
scan(child.stderr, process.stderr);

function repeatFailures() {
  for (const task of failedTasks) {
    const lines = byTask.get(task) ?? [];
    const hints = lines.filter((l) => FAILURE_HINT.test(l)).slice(0, 60);
    console.log(`\n==== failed: ${task} (${lines.length} lines of output) ====`);
    if (hints.length > 0) console.log(`-- its failure lines --\n${hints.join('\n')}`);
    console.log(`-- its last lines --\n${lines.slice(-60).join('\n')}`);
  }
}

let status = null;
let killedBy = null;
child.on('close', (code, signal) => {
  status = code ?? 1;
  killedBy = signal;
  finish();
});

function finish() {
  if (status === null || open > 0) return;
  repeatFailures();
  console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  if (failedTasks.size > 0) console.log(`failed tasks: ${[...failedTasks].join(', ')}`);
  if (killedBy) console.error(`turbo was killed by ${killedBy}`);
  process.exit(status === 0 && totals.failed > 0 ? 1 : status);
}
