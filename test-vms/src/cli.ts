/**
 * pnpm test:vms [--kernel NAME]... [--kernel-image NAME=PATH]... [--accel auto|tcg|kvm]
 *               [--timeout SECONDS] [--idle-timeout SECONDS] [--jobs N] [--no-build]
 * Runs the kernel matrix and prints the table; exit status 1 when a cell fails.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildInitramfs, PACKAGE_DIR } from './initramfs.js';
import { type Cell, localImages, planMatrix } from './kernels.js';
import { runMatrix } from './matrix.js';
import { ensurePrerequisites } from './prereqs.js';
import { renderTable } from './report.js';

const USAGE = `usage: pnpm test:vms [--kernel NAME]... [--kernel-image NAME=PATH]... [--accel auto|tcg|kvm] [--timeout SECONDS] [--idle-timeout SECONDS] [--jobs N] [--no-build]`;

class UsageError extends Error {}

function options() {
  const { values } = parseArgs({
    options: {
      kernel: { type: 'string', multiple: true },
      'kernel-image': { type: 'string', multiple: true },
      accel: { type: 'string', default: 'auto' },
      timeout: { type: 'string', default: '3600' },
      'idle-timeout': { type: 'string', default: '600' },
      // One guest per core: each TCG vCPU is one host thread.
      jobs: { type: 'string', default: String(availableParallelism()) },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const accel = values.accel;
  if (accel !== 'auto' && accel !== 'tcg' && accel !== 'kvm')
    throw new UsageError(`--accel ${accel}: use auto, tcg or kvm`);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UsageError(`--timeout ${values.timeout}: not a number of seconds`);
  const idle = Number(values['idle-timeout']);
  if (!Number.isFinite(idle) || idle <= 0)
    throw new UsageError(`--idle-timeout ${values['idle-timeout']}: not a number of seconds`);
  const jobs = Number(values.jobs);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UsageError(`--jobs ${values.jobs}: not a whole number of at least 1`);
  const images = (values['kernel-image'] ?? []).map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0)
      throw new UsageError(
        `--kernel-image ${s}: use NAME=PATH, NAME beginning with the version (3.5=/path/bzImage)`,
      );
    return { name: s.slice(0, eq), image: s.slice(eq + 1) };
  });
  return {
    kernels: values.kernel ?? [],
    images,
    accel,
    timeoutMs: timeout * 1000,
    idleMs: idle * 1000,
    jobs,
    build: !values['no-build'],
  } as const;
}

async function main(): Promise<number> {
  const o = options();
  const cacheDir = join(PACKAGE_DIR, 'cache');
  const outDir = join(PACKAGE_DIR, 'out');
  const log = (s: string) => console.error(`test-vms: ${s}`);
  ensurePrerequisites(log);
  const local = [...localImages(join(PACKAGE_DIR, 'kernels')), ...o.images];
  let cells: Cell[] = planMatrix(local);
  if (o.kernels.length > 0) {
    const known = new Set(cells.map((c) => c.name));
    for (const k of o.kernels) {
      if (!known.has(k)) throw new UsageError(`--kernel ${k}: not in the matrix (${[...known].join(', ')})`);
    }
    cells = cells.filter((c) => o.kernels.includes(c.name));
  }
  if (o.build) {
    log('building the workspace packages the guest needs');
    execFileSync('npx', ['-y', 'pnpm@12.4.2', '--filter', '@sb/test-vms...', 'run', 'build'], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  // Several guests at once would overwrite each other's progress line: print lines then.
  const tty = process.stderr.isTTY && o.jobs === 1;
  const t0 = Date.now();
  const result = await runMatrix({
    cells,
    cacheDir,
    outDir,
    expectedDir: join(PACKAGE_DIR, 'expected'),
    qemu: 'qemu-system-x86_64',
    accel: o.accel,
    timeoutMs: o.timeoutMs,
    idleMs: o.idleMs,
    jobs: o.jobs,
    log,
    initramfs: () => {
      const r = buildInitramfs(cacheDir);
      log(`initramfs ${r.hash} (${Math.round(r.bytes / 1e6)} MB${r.cached ? ', cached' : ''})`);
      return r.path;
    },
    progress: (cell, i, stage) => {
      const line = `[${i + 1}/${cells.length}] ${cell.name} (${cell.kind}${cell.host ? ` on ${cell.host.name}` : ''}): ${stage} ${Math.round((Date.now() - t0) / 1000)}s`;
      if (tty) process.stderr.write(`\r\x1b[K${line}`);
      else console.error(line);
    },
  });
  if (tty) process.stderr.write('\r\x1b[K');
  console.log(renderTable(result.outcomes));
  for (const c of result.outcomes.filter((x) => !x.pass)) {
    console.log(`\n${c.name} (${c.kind}) FAILED — console log: ${c.boot.log}`);
    for (const p of c.problems) console.log(`  ${p}`);
  }
  const failed = result.outcomes.filter((c) => !c.pass).length;
  console.log(
    `\n${result.outcomes.length - failed}/${result.outcomes.length} kernels passed in ${result.seconds} s (${result.accel}); results: ${join(outDir, 'results.json')}`,
  );
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`test-vms: ${(e as Error).message}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  },
);
