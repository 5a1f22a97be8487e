/** The issue's goals, reported against the measurements (never asserted). */

import type { BenchResult, Cell } from '../results.js';
import { fmtMs, fmtRatio } from './format.js';

export interface GoalReport {
  readonly goal: string;
  /** met / not met / not measured. */
  readonly verdict: 'met' | 'not met' | 'not measured';
  readonly detail: string;
}

function cell(
  r: BenchResult,
  workload: string,
  contender: string,
  variant: 'free' | 'pinned',
): Cell | undefined {
  return r.cells.find((c) => c.workload === workload && c.contender === contender && c.variant === variant);
}

function why(r: BenchResult, workload: string, contender: string, variant: 'free' | 'pinned'): string {
  const c = cell(r, workload, contender, variant);
  if (c?.status === 'failed') return `${contender} failed ${workload}: ${c.reason}`;
  const rep = r.contenders.find((x) => x.id === contender);
  if (rep && rep.status !== 'available')
    return `${contender}: ${rep.status}${rep.reason ? ` (${rep.reason})` : ''}`;
  if (!r.workloads.some((w) => w.id === workload)) return `${workload} was not run`;
  return `no ${variant} measurement of ${contender} on ${workload}`;
}

function ok(c: Cell | undefined): c is Cell & { wall: NonNullable<Cell['wall']> } {
  return c?.status === 'ok' && c.wall !== undefined;
}

export function evaluateGoals(r: BenchResult): GoalReport[] {
  const out: GoalReport[] = [];
  const variants = r.options.variants;

  // 1. Landlock/kernel-only backend within 5% of native on build and stat-storm.
  {
    const goal = 'sb landlock: within 5% of native (wall) on build and stat-storm';
    const parts: string[] = [];
    let missing: string | undefined;
    let met = true;
    for (const w of ['build', 'stat-storm']) {
      const c = cell(r, w, 'sb-landlock', 'free');
      if (!ok(c) || c.wallRatio === undefined) {
        missing ??= why(r, w, 'sb-landlock', 'free');
        continue;
      }
      parts.push(`${w} ${fmtRatio(c.wallRatio)}`);
      if (c.wallRatio > 1.05) met = false;
    }
    out.push(
      missing
        ? { goal, verdict: 'not measured', detail: missing }
        : { goal, verdict: met ? 'met' : 'not met', detail: parts.join(', ') },
    );
  }

  // 2. ptrace backend faster than proot and strace -f on every workload (per CPU variant).
  for (const peer of ['proot', 'strace']) {
    const goal = `sb ptrace: faster than ${peer} on every workload`;
    const parts: string[] = [];
    const slower: string[] = [];
    let missing: string | undefined;
    for (const w of r.workloads.map((x) => x.id))
      for (const v of variants) {
        const a = cell(r, w, 'sb-ptrace', v);
        const b = cell(r, w, peer, v);
        if (!ok(a)) {
          missing ??= why(r, w, 'sb-ptrace', v);
          continue;
        }
        if (!ok(b)) {
          missing ??= why(r, w, peer, v);
          continue;
        }
        parts.push(`${w}/${v} ${fmtMs(a.wall.median)} vs ${fmtMs(b.wall.median)}`);
        if (a.wall.median >= b.wall.median) slower.push(`${w}/${v}`);
      }
    if (missing && parts.length === 0) out.push({ goal, verdict: 'not measured', detail: missing });
    else
      out.push({
        goal,
        verdict: slower.length === 0 && !missing ? 'met' : slower.length > 0 ? 'not met' : 'not measured',
        detail: `${slower.length ? `slower on ${slower.join(', ')}; ` : ''}${parts.join(', ')}${missing ? `; incomplete: ${missing}` : ''}`,
      });
  }

  // 3. ptrace backend at most 1.5x native on build.
  {
    const goal = 'sb ptrace: at most 1.5x native (wall) on build';
    const parts: string[] = [];
    let met = true;
    let missing: string | undefined;
    for (const v of variants) {
      const c = cell(r, 'build', 'sb-ptrace', v);
      if (!ok(c) || c.wallRatio === undefined) {
        missing ??= why(r, 'build', 'sb-ptrace', v);
        continue;
      }
      parts.push(`${v} ${fmtRatio(c.wallRatio)}`);
      if (c.wallRatio > 1.5) met = false;
    }
    out.push(
      parts.length === 0
        ? { goal, verdict: 'not measured', detail: missing ?? 'no measurement' }
        : { goal, verdict: met ? 'met' : 'not met', detail: parts.join(', ') },
    );
  }

  // 4. startup: under 100 ms added to native, and within 50 ms of bwrap, for each sb backend measured.
  const sbIds = r.contenders.filter((c) => c.kind === 'sb').map((c) => c.id);
  const bw = cell(r, 'startup', 'bwrap', 'free');
  let anySb = false;
  for (const id of sbIds) {
    const c = cell(r, 'startup', id, 'free');
    if (!ok(c) || c.addedWallMs === undefined) continue;
    anySb = true;
    const goal = `${id}: startup adds < 100 ms to native and is within 50 ms of bwrap`;
    const added = c.addedWallMs;
    if (!ok(bw)) {
      out.push({
        goal,
        verdict: 'not measured',
        detail: `adds ${fmtMs(added)} to native; bwrap: ${why(r, 'startup', 'bwrap', 'free')}`,
      });
      continue;
    }
    const vsBwrap = c.wall.median - bw.wall.median;
    out.push({
      goal,
      verdict: added < 100 && vsBwrap <= 50 ? 'met' : 'not met',
      detail: `adds ${fmtMs(added)} to native; ${vsBwrap >= 0 ? `${fmtMs(vsBwrap)} slower` : `${fmtMs(-vsBwrap)} faster`} than bwrap`,
    });
  }
  if (!anySb)
    out.push({
      goal: 'sb: startup adds < 100 ms to native and is within 50 ms of bwrap',
      verdict: 'not measured',
      detail: sbIds.length ? why(r, 'startup', sbIds[0]!, 'free') : 'no sb contender declared',
    });
  return out;
}
