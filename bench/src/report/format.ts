import type { BenchResult, Cell } from '../results.js';

export function fmtMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 999.5) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtRatio(r: number | undefined): string {
  if (r === undefined) return 'n/a';
  return r >= 100 ? `${r.toFixed(0)}x` : r >= 10 ? `${r.toFixed(1)}x` : `${r.toFixed(2)}x`;
}

/** Row label of a cell: the contender, and the CPU variant when the run had both. */
export function rowLabel(result: BenchResult, cell: Pick<Cell, 'contender' | 'variant'>): string {
  const label = result.contenders.find((c) => c.id === cell.contender)?.label ?? cell.contender;
  return result.options.variants.length > 1 ? `${label} (${cell.variant})` : label;
}

/** Cells in report order: workloads, then variants, then contenders as declared. */
export function orderedCells(result: BenchResult): Cell[] {
  const w = result.workloads.map((x) => x.id);
  const c = result.contenders.map((x) => x.id);
  const v = ['free', 'pinned'];
  return [...result.cells].sort(
    (a, b) =>
      w.indexOf(a.workload) - w.indexOf(b.workload) ||
      v.indexOf(a.variant) - v.indexOf(b.variant) ||
      c.indexOf(a.contender) - c.indexOf(b.contender),
  );
}
