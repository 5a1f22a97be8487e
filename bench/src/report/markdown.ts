/** The markdown report: a ratio matrix, per-workload tables, what was not measured and why, the goals. */

import type { BenchResult, Cell } from '../results.js';
import { fmtMs, fmtRatio, orderedCells, rowLabel } from './format.js';
import { evaluateGoals } from './goals.js';

/** Escapes what would break a table cell. */
function esc(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(esc).join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function spread(s: { median: number; min: number; max: number }): string {
  return `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;
}

export function renderMarkdown(r: BenchResult, opts: { title?: string; note?: string } = {}): string {
  const out: string[] = [];
  const m = r.machine;
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' ');
  out.push(
    `## ${opts.title ?? `sb benchmark: ${r.host}, ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC`}`,
  );
  out.push('');
  if (r.quick)
    out.push(
      '> **Quick run** (`--quick`): small workload sizes, 1 warm-up and 2 counted runs. A smoke test of the harness, not a measurement to quote.',
      '',
    );
  if (opts.note) out.push(`> ${opts.note}`, '');
  out.push(
    `Machine: ${m.cpuModel}, ${m.cpus} CPUs, ${m.memGiB} GiB, kernel ${m.kernel} (${m.arch}), Node.js ${m.node}. ` +
      `Load average (1/5/15 min) at start ${load(m.loadStart)}, at end ${load(m.loadEnd)}.`,
    '',
    `Method: ${r.options.warmups} warm-up run(s) per contender, then ${r.options.runs} counted runs interleaved ` +
      `(A B C A B C ...); medians with (min–max); ratios are the median over native's median in the same group. ` +
      `Wall: elapsed time; CPU: user + system time of the whole process tree. ` +
      (r.options.variants.includes('pinned')
        ? `*pinned*: everything on CPU ${r.options.pinCpu} (as \`taskset -c ${r.options.pinCpu}\`), run for native and ${r.options.pinAll ? 'every contender' : 'the contenders with a supervisor in the syscall path (ptrace, user notification)'}; *free*: the scheduler decides.`
        : ''),
    '',
  );

  const cells = orderedCells(r);
  const workloads = r.workloads.map((w) => w.id);
  const rowsKey = new Map<string, Pick<Cell, 'contender' | 'variant'>>();
  for (const c of cells) rowsKey.set(`${c.variant}\0${c.contender}`, c);
  const rowOrder = [...rowsKey.values()].sort(
    (a, b) =>
      ['free', 'pinned'].indexOf(a.variant) - ['free', 'pinned'].indexOf(b.variant) ||
      r.contenders.findIndex((x) => x.id === a.contender) -
        r.contenders.findIndex((x) => x.id === b.contender),
  );
  const find = (w: string, k: Pick<Cell, 'contender' | 'variant'>) =>
    cells.find((c) => c.workload === w && c.contender === k.contender && c.variant === k.variant);

  out.push('### Wall-clock time, ratio to native', '');
  out.push(
    table(
      ['contender', ...workloads],
      rowOrder.map((k) => [
        rowLabel(r, k),
        ...workloads.map((w) => {
          const c = find(w, k);
          if (!c) return '–';
          return c.status === 'ok' ? fmtRatio(c.wallRatio) : 'failed';
        }),
      ]),
    ),
    '',
  );

  for (const w of r.workloads) {
    out.push(`### ${w.title}`, '', `${w.description}.`, '');
    const size = Object.entries(w.size);
    if (size.length) out.push(`Size: ${size.map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
    if (w.prepareError) {
      out.push(`Not run: preparing the workload failed: ${w.prepareError}`, '');
      continue;
    }
    const rows = cells
      .filter((c) => c.workload === w.id)
      .map((c) =>
        c.status === 'ok' && c.wall && c.cpu
          ? [
              rowLabel(r, c),
              spread(c.wall),
              fmtRatio(c.wallRatio),
              c.addedWallMs === undefined
                ? 'n/a'
                : `${c.addedWallMs >= 0 ? '+' : '−'}${fmtMs(Math.abs(c.addedWallMs))}`,
              spread(c.cpu),
              fmtRatio(c.cpuRatio),
            ]
          : [rowLabel(r, c), `failed: ${c.reason ?? ''}`, '', '', '', ''],
      );
    out.push(
      table(
        [
          'contender',
          'wall median (min–max)',
          'wall x native',
          'added',
          'CPU median (min–max)',
          'CPU x native',
        ],
        rows,
      ),
      '',
    );
  }

  const failed = cells.filter((c) => c.status === 'failed');
  if (failed.length) {
    out.push('### Failed runs (not timed)', '');
    for (const c of failed) {
      out.push(`- **${rowLabel(r, c)}** on ${c.workload} (${c.failedIn} run): ${c.reason}`);
      const tail = (c.stderrTail ?? '').trim().split('\n').slice(-6).join('\n');
      if (tail) out.push('', '  ```text', ...tail.split('\n').map((l) => `  ${l}`), '  ```');
    }
    out.push('');
  }

  const absent = r.contenders.filter((c) => c.status !== 'available');
  if (absent.length) {
    out.push('### Not measured', '');
    for (const c of absent) out.push(`- **${c.label}**: ${c.status}: ${c.reason ?? ''}`);
    out.push('');
  }

  out.push('### Goals (reported, not asserted)', '');
  out.push(
    table(
      ['goal', 'verdict', 'detail'],
      evaluateGoals(r).map((g) => [g.goal, g.verdict, g.detail]),
    ),
    '',
  );

  out.push('### Command lines', '');
  out.push(
    table(
      ['contender', 'status', 'command line'],
      r.contenders.map((c) => [
        c.label,
        c.status === 'available' ? `available${c.version ? ` (${c.version})` : ''}` : c.status,
        `\`${c.commandLine}\``,
      ]),
    ),
    '',
  );
  return `${out.join('\n').trimEnd()}\n`;
}
