/**
 * Runs the matrix: fetch kernels, build the initramfs, choose the accelerator, boot
 * the cells (o.jobs QEMUs at a time), judge them, and write out/results.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { chooseAccel } from './accel.js';
import { aptUpdate, fetchKernel } from './apt.js';
import { type Accel, boot } from './boot.js';
import { type CellOutcome, judgeCell } from './cell.js';
import { checkConfig } from './config.js';
import type { Expected } from './expected.js';
import type { Cell } from './kernels.js';
import { BEGIN, EXIT, STEP } from './markers.js';

export interface MatrixOptions {
  readonly cells: readonly Cell[];
  readonly cacheDir: string;
  readonly outDir: string;
  readonly expectedDir: string;
  readonly qemu: string;
  /** 'auto': KVM only after a successful trial boot. */
  readonly accel: Accel | 'auto';
  readonly timeoutMs: number;
  /** A silent console this long fails the cell (see boot.ts). */
  readonly idleMs?: number;
  /** Builds (or finds cached) the initramfs; returns its path. */
  readonly initramfs: () => string;
  readonly log: (line: string) => void;
  /** Progress of the current boot (the stage the guest reached). */
  readonly progress?: (cell: Cell, index: number, stage: string) => void;
  /** How many guests run at once (default 1). */
  readonly jobs?: number;
}

export interface MatrixResult {
  readonly outcomes: CellOutcome[];
  readonly accel: Accel;
  readonly accelWhy: string;
  readonly seconds: number;
}

export function loadExpected(dir: string, cell: Cell): Expected {
  for (const name of [cell.name, cell.version]) {
    const p = join(dir, `${name}.json`);
    if (existsSync(p)) return JSON.parse(readFileSync(p, 'utf8')) as Expected;
  }
  throw new Error(
    `no expected file for kernel ${cell.name}: add ${join(dir, `${cell.version}.json`)} (see README: adding a kernel)`,
  );
}

/** Emulated personalities run the suite under an extra filter and the oldest ones fall back to slower paths; they take longest. */
function cellWeight(cell: Cell): number {
  return cell.kind === 'emulated' ? 10 - Number.parseFloat(cell.version) / 10 : 0;
}

export async function runMatrix(o: MatrixOptions): Promise<MatrixResult> {
  const started = Date.now();
  mkdirSync(o.outDir, { recursive: true });
  // Images first (downloads), so that a missing expected file or image fails before any boot.
  let aptRoot: string | null = null;
  const images = new Map<string, { image: string; config: string | null; pkg: string }>();
  const suites = [...new Set(o.cells.flatMap((c) => ('debian' in c.source ? [c.source.debian.suite] : [])))];
  for (const cell of o.cells) {
    loadExpected(o.expectedDir, cell);
    const src = cell.source;
    const key = 'debian' in src ? src.debian.suite : src.image;
    if (images.has(key)) continue;
    if ('debian' in src) {
      const k = fetchKernel(
        o.cacheDir,
        src.debian,
        () => (aptRoot ??= aptUpdate(o.cacheDir, suites, o.log)),
        o.log,
      );
      images.set(key, { image: k.image, config: k.config, pkg: k.pkg });
    } else {
      if (!existsSync(src.image)) throw new Error(`kernel image ${src.image} does not exist`);
      const config = join(dirname(src.image), 'config');
      images.set(key, { image: src.image, config: existsSync(config) ? config : null, pkg: src.image });
    }
  }
  const initrd = o.initramfs();
  const first = images.values().next().value;
  if (first === undefined) throw new Error('no kernels to run');
  const verdict =
    o.accel === 'auto'
      ? await chooseAccel(o.cacheDir, o.qemu, first.image, initrd, o.outDir)
      : { accel: o.accel, why: 'chosen on the command line' };
  o.log(`accelerator: ${verdict.accel} (${verdict.why})`);

  const runCell = async (cell: Cell, i: number): Promise<CellOutcome> => {
    const src = cell.source;
    const img = images.get('debian' in src ? src.debian.suite : src.image)!;
    const expected = loadExpected(o.expectedDir, cell);
    const logPath = join(o.outDir, `${cell.name}.console.log`);
    const configProblems = img.config === null ? [] : checkConfig(img.config);
    if (configProblems.length > 0) {
      writeFileSync(logPath, `not booted:\n${configProblems.join('\n')}\n`);
      return judgeCell(
        cell,
        expected,
        { status: 'error', exitCode: null, console: '', ms: 0, reason: configProblems.join('; ') },
        logPath,
      );
    }
    o.progress?.(cell, i, 'booting');
    const result = await boot({
      qemu: o.qemu,
      kernel: img.image,
      initrd,
      accel: verdict.accel,
      timeoutMs: o.timeoutMs,
      ...(o.idleMs !== undefined ? { idleMs: o.idleMs } : {}),
      log: logPath,
      append: cell.kind === 'emulated' ? [`sb.personality=${cell.version}`] : [],
      onLine: (line) => {
        const step = line.indexOf(STEP);
        if (line.includes('@@SB-GUEST-BOOT')) o.progress?.(cell, i, 'running the suite as root');
        else if (step >= 0) o.progress?.(cell, i, line.slice(step + STEP.length + 1).trim());
        else if (line.includes(`${EXIT} root`)) o.progress?.(cell, i, 'running the suite as user');
        else if (line.includes(BEGIN)) o.progress?.(cell, i, 'reading results');
      },
    });
    o.progress?.(cell, i, 'done');
    return judgeCell(cell, expected, result, logPath);
  };
  // Each guest has one vCPU, and TCG runs it on one host thread: cells side by side
  // use the host's cores. The slowest cells go first so the pool drains evenly.
  const outcomes: CellOutcome[] = new Array(o.cells.length);
  const order = [...o.cells.keys()].sort((a, b) => cellWeight(o.cells[b]!) - cellWeight(o.cells[a]!));
  const jobs = Math.max(1, Math.min(o.jobs ?? 1, o.cells.length));
  await Promise.all(
    Array.from({ length: jobs }, async () => {
      for (let next = order.shift(); next !== undefined; next = order.shift()) {
        outcomes[next] = await runCell(o.cells[next]!, next);
      }
    }),
  );
  const res: MatrixResult = {
    outcomes,
    accel: verdict.accel,
    accelWhy: verdict.why,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(join(o.outDir, 'results.json'), `${JSON.stringify(res, null, 2)}\n`);
  return res;
}
