// Stops per second: the engine against `strace -f -o /dev/null` and the same loop
// natively, side by side, pinned to one CPU (tracer and tracee share it) and free.
// Usage: node bench/stops.mjs [N]   (needs gcc and strace; prints a markdown table)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const N = Number(process.argv[2] ?? 50000);
const RUNS = 3;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sb-bench-'));
const loop = join(dir, 'loop');
execFileSync('gcc', ['-O2', '-o', loop, here('./loop.c')]);

function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - t0, out: r.stdout };
}

const pin = (pinned, cmd, args) => (pinned ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args]);

const cases = [
  ['native', () => [loop, [String(N)]], 0, (r) => r.ms],
  ['strace -f -o /dev/null', () => ['strace', ['-f', '-o', '/dev/null', loop, String(N)]], 2, (r) => r.ms],
  [
    'sb engine, seccomp stop only',
    () => [process.execPath, [here('./engine.mjs'), loop, String(N), 'seccomp']],
    1,
    (r) => JSON.parse(r.out).ms,
  ],
  [
    'sb engine, seccomp + exit stop',
    () => [process.execPath, [here('./engine.mjs'), loop, String(N), 'exit']],
    2,
    (r) => JSON.parse(r.out).ms,
  ],
  [
    'sb engine, syscall-stop mode (no seccomp filter)',
    () => [process.execPath, [here('./engine.mjs'), loop, String(N), 'stops']],
    2,
    (r) => JSON.parse(r.out).ms,
  ],
];

const rows = [];
for (const pinned of [true, false]) {
  for (const [name, make, stopsPerCall, ms] of cases) {
    const [cmd, args] = make();
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(ms(timed(...pin(pinned, cmd, args))));
    times.sort((a, b) => a - b);
    const best = times[0];
    rows.push({
      name,
      pinned,
      best,
      median: times[1],
      callsPerSec: (N / best) * 1000,
      stopsPerSec: stopsPerCall ? ((N * stopsPerCall) / best) * 1000 : null,
    });
  }
}
const fmt = (x) => (x === null ? '—' : Math.round(x).toLocaleString('en-US'));
console.log(`getppid loop, N = ${N}, best of ${RUNS} (median in brackets); ${new Date().toISOString()}\n`);
console.log('| tracer | CPUs | ms | syscalls/s | ptrace stops/s |');
console.log('|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.pinned ? 'taskset -c 0' : 'free'} | ${r.best.toFixed(0)} (${r.median.toFixed(0)}) | ${fmt(r.callsPerSec)} | ${fmt(r.stopsPerSec)} |`,
  );
}
