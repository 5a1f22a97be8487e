/**
 * The matrix table: one row per feature (and per stage), one column per kernel,
 * each cell ok / FAIL / n/e (not emulated) / - (no result) for root and the ordinary user.
 */
import type { CellOutcome } from './cell.js';
import { USERS } from './types.js';

function mark(o: CellOutcome, feature: string): string {
  if (o.notCompared.includes(feature)) return 'n/e';
  const parts = USERS.map((u) => {
    const r = o.users[u];
    if (r.features === null) return '-';
    return r.differences.some((d) => d.feature === feature) ? 'FAIL' : 'ok';
  });
  return parts[0] === parts[1] ? parts[0]! : `${parts[0]}/${parts[1]}`;
}

export function renderTable(outcomes: readonly CellOutcome[]): string {
  const features = [
    ...new Set(
      outcomes.flatMap((o) =>
        USERS.flatMap((u) => [
          ...Object.keys(o.users[u].features ?? {}),
          ...o.users[u].differences.map((d) => d.feature),
        ]),
      ),
    ),
  ].sort();
  const header = ['kernel', ...outcomes.map((o) => o.name)];
  const rows: string[][] = [
    ['kind', ...outcomes.map((o) => (o.host !== undefined ? `emulated@${o.host}` : o.kind))],
    [
      'boot',
      ...outcomes.map((o) =>
        o.boot.status === 'exited' ? `ok ${o.boot.seconds}s` : `FAIL ${o.boot.status}`,
      ),
    ],
    ...(['root', 'user'] as const).map((u) => [
      `suite (${u})`,
      ...outcomes.map((o) => (o.users[u].features !== null && o.users[u].exit === 0 ? 'ok' : 'FAIL')),
    ]),
    ...features.map((f) => [f, ...outcomes.map((o) => mark(o, f))]),
    ['RESULT', ...outcomes.map((o) => (o.pass ? 'PASS' : 'FAIL'))],
  ];
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
