/** Runs the benchmark: detect contenders, prepare each workload, run interleaved groups, summarize. */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Availability, Contender, DetectEnv } from './contenders/index.js';
import { buildMeasure, measureOnce, type Sample } from './measure/index.js';
import type { Options } from './options.js';
import type { BenchResult, Cell, ContenderReport, Variant, WorkloadReport } from './results.js';
import { interleave } from './schedule.js';
import { ratio, summarize } from './stats.js';
import type { Prepared, Workload } from './workloads/index.js';

export interface RunContext {
  readonly options: Options;
  readonly workloads: readonly Workload[];
  readonly contenders: readonly Contender[];
  readonly repoRoot: string;
  readonly benchRoot: string;
  readonly log: (line: string) => void;
}

export async function detectAll(
  contenders: readonly Contender[],
  env: DetectEnv,
): Promise<Map<string, Availability>> {
  const out = new Map<string, Availability>();
  // One at a time: probes start sandboxes, and the machine may be busy.
  for (const c of contenders) out.set(c.id, await c.detect(env));
  return out;
}

export function contenderReport(c: Contender, a: Availability): ContenderReport {
  return {
    id: c.id,
    label: c.label,
    kind: c.kind,
    supervised: c.supervised,
    about: c.about,
    commandLine: c.commandLine,
    status: a.status,
    ...(a.status === 'available' ? (a.version ? { version: a.version } : {}) : { reason: a.reason }),
  };
}

/** Which contenders run in a variant's group: all in free; native and the supervised ones when pinned. */
export function groupFor(variant: Variant, available: readonly Contender[], pinAll: boolean): Contender[] {
  if (variant === 'free' || pinAll) return [...available];
  return available.filter((c) => c.kind === 'baseline' || c.supervised);
}

export interface Track {
  samples: Sample[];
  failure?: { reason: string; exitCode?: number; stderrTail: string; phase: 'warmup' | 'counted' };
  stragglers: boolean;
}

/** Summaries and ratios of one group, native being the baseline. */
export function summarizeGroup(
  workload: string,
  variant: Variant,
  tracks: ReadonlyMap<string, Track>,
  baselineId = 'native',
): Cell[] {
  const cells: Cell[] = [];
  const base = tracks.get(baselineId);
  const baseWall =
    base && !base.failure && base.samples.length ? summarize(base.samples.map((s) => s.wallMs)) : undefined;
  const baseCpu =
    base && !base.failure && base.samples.length ? summarize(base.samples.map((s) => s.cpuMs)) : undefined;
  for (const [id, t] of tracks) {
    if (t.failure) {
      cells.push({
        workload,
        contender: id,
        variant,
        status: 'failed',
        reason: t.failure.reason,
        ...(t.failure.exitCode !== undefined ? { exitCode: t.failure.exitCode } : {}),
        stderrTail: t.failure.stderrTail,
        failedIn: t.failure.phase,
        samples: t.samples,
      });
      continue;
    }
    const wall = summarize(t.samples.map((s) => s.wallMs));
    const cpu = summarize(t.samples.map((s) => s.cpuMs));
    const wallRatio = baseWall ? ratio(wall, baseWall) : undefined;
    const cpuRatio = baseCpu ? ratio(cpu, baseCpu) : undefined;
    cells.push({
      workload,
      contender: id,
      variant,
      status: 'ok',
      samples: t.samples,
      wall,
      cpu,
      ...(wallRatio !== undefined ? { wallRatio } : {}),
      ...(cpuRatio !== undefined ? { cpuRatio } : {}),
      ...(baseWall ? { addedWallMs: wall.median - baseWall.median } : {}),
      ...(t.stragglers ? { stragglers: true } : {}),
    });
  }
  return cells;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export async function runBench(ctx: RunContext): Promise<BenchResult> {
  const { options: o, log } = ctx;
  const startedAt = new Date().toISOString();
  const loadStart = loadavg();
  mkdirSync(o.workdir, { recursive: true });
  const measure = buildMeasure(join(o.workdir, '.tools'));
  const probeDir = join(o.workdir, '.probe');
  rmSync(probeDir, { recursive: true, force: true });
  mkdirSync(probeDir, { recursive: true });

  log('detecting contenders ...');
  const availability = await detectAll(ctx.contenders, {
    path: process.env.PATH ?? '',
    env: process.env,
    repoRoot: ctx.repoRoot,
    benchRoot: ctx.benchRoot,
    probeDir,
  });
  const available: { c: Contender; binary: string }[] = [];
  for (const c of ctx.contenders) {
    const a = availability.get(c.id)!;
    if (a.status === 'available') {
      available.push({ c, binary: a.binary });
      log(`  ${c.id}: available${a.version ? ` (${a.version})` : ''}`);
    } else log(`  ${c.id}: ${a.status}: ${a.reason}`);
  }
  const binaries = new Map(available.map((x) => [x.c.id, x.binary]));

  const scale = o.quick ? 'quick' : 'full';
  const workloadReports: WorkloadReport[] = [];
  const cells: Cell[] = [];
  for (const w of ctx.workloads) {
    const dir = join(o.workdir, w.id);
    let prepared: Prepared;
    try {
      log(`preparing ${w.id} (${scale}) ...`);
      prepared = w.prepare(dir, scale);
    } catch (e) {
      const msg = (e as Error).message;
      log(`  ${w.id}: cannot prepare: ${msg}`);
      workloadReports.push({
        id: w.id,
        title: w.title,
        description: w.description,
        size: w.sizes[scale],
        command: [],
        prepareError: msg,
      });
      continue;
    }
    workloadReports.push({
      id: w.id,
      title: w.title,
      description: w.description,
      size: w.sizes[scale],
      command: prepared.argv,
    });
    for (const variant of o.variants) {
      const group = groupFor(
        variant,
        available.map((x) => x.c),
        o.pinAll,
      );
      if (variant === 'pinned' && group.length < 2) continue;
      const tracks = new Map<string, Track>(group.map((c) => [c.id, { samples: [], stragglers: false }]));
      const steps = interleave(group, o.warmups, o.runs);
      log(`${w.id} [${variant}]: ${group.map((c) => c.id).join(' ')} - ${steps.length} runs`);
      for (const step of steps) {
        const c = step.contender;
        const t = tracks.get(c.id)!;
        if (t.failure) continue;
        prepared.beforeEach?.();
        const scratch = join(o.workdir, '.scratch', c.id);
        rmSync(scratch, { recursive: true, force: true });
        mkdirSync(scratch, { recursive: true });
        const inv = c.wrap(prepared.argv, { workdir: dir, scratch }, binaries.get(c.id)!);
        for (const [p, content] of Object.entries(inv.files ?? {})) writeFileSync(p, content);
        const outcome = await measureOnce({
          measure,
          argv: inv.argv,
          cwd: prepared.cwd,
          env: { ...process.env, ...inv.env },
          ...(variant === 'pinned' ? { cpu: o.pinCpu } : {}),
          timeoutMs: o.timeoutSec * 1000,
        });
        if (!outcome.ok) {
          t.failure = {
            reason: outcome.reason,
            ...(outcome.exitCode !== undefined ? { exitCode: outcome.exitCode } : {}),
            stderrTail: outcome.stderrTail,
            phase: step.phase,
          };
          log(`  ${c.id} ${step.phase} ${step.round + 1}: FAILED: ${outcome.reason}`);
          continue;
        }
        if (outcome.sample.stragglers) t.stragglers = true;
        if (step.phase === 'counted') t.samples.push(outcome.sample);
        log(
          `  ${c.id} ${step.phase} ${step.round + 1}: wall ${fmtMs(outcome.sample.wallMs)}, cpu ${fmtMs(outcome.sample.cpuMs)}`,
        );
      }
      cells.push(...summarizeGroup(w.id, variant, tracks));
    }
  }
  return {
    schema: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    host: hostname(),
    quick: o.quick,
    options: {
      runs: o.runs,
      warmups: o.warmups,
      variants: o.variants,
      pinCpu: o.pinCpu,
      pinAll: o.pinAll,
      timeoutSec: o.timeoutSec,
      workloads: ctx.workloads.map((w) => w.id),
      contenders: ctx.contenders.map((c) => c.id),
    },
    machine: {
      kernel: release(),
      arch: process.arch,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      loadStart,
      loadEnd: loadavg(),
    },
    contenders: ctx.contenders.map((c) => contenderReport(c, availability.get(c.id)!)),
    workloads: workloadReports,
    cells,
  };
}
