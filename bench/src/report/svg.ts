/**
 * The SVG chart: for each workload, one horizontal bar per contender (and CPU
 * variant) measured, its length the wall-clock ratio to native on a log scale,
 * starting at 1x (native). Hand-written: a few rects and texts need no library.
 */

import type { BenchResult, Cell } from '../results.js';
import { fmtMs, fmtRatio, orderedCells, rowLabel } from './format.js';

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const COLOURS = { baseline: '#8c8c8c', sb: '#2f6fb3', peer: '#d9822b' } as const;

/** 1-2-5 steps covering [lo, hi]. */
export function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(Number(v.toPrecision(3)));
    }
  return out;
}

export function renderSvg(r: BenchResult): string {
  const bars = orderedCells(r).filter(
    (c): c is Cell & { wallRatio: number } => c.status === 'ok' && c.wallRatio !== undefined,
  );
  const ratios = bars.map((b) => b.wallRatio);
  // The axis starts at the 1-2-5 step just below the smallest ratio (at most 0.5x).
  const minRatio = Math.min(0.5, ...ratios);
  const lo = ticks(minRatio / 10, minRatio).pop() ?? minRatio;
  const hi = (() => {
    const top = Math.max(2, ...ratios) * 1.05;
    return ticks(lo, top * 10).find((t) => t >= top) ?? top;
  })();
  const W = 960;
  const labelW = 250;
  const x0 = labelW + 10;
  const x1 = W - 130;
  const x = (v: number) =>
    x0 + ((Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * (x1 - x0);
  const rowH = 18;
  const headH = 26;
  const top = 64;

  const body: string[] = [];
  let y = top;
  for (const w of r.workloads) {
    const group = bars.filter((b) => b.workload === w.id);
    const others = orderedCells(r).filter((c) => c.workload === w.id && c.status !== 'ok');
    body.push(
      `<text class="workload" x="10" y="${y + 17}" font-weight="bold">${xmlEscape(w.title)}${w.prepareError ? ' (not run)' : ''}</text>`,
    );
    y += headH;
    for (const b of group) {
      const kind = r.contenders.find((c) => c.id === b.contender)?.kind ?? 'peer';
      const xa = x(1);
      const xb = x(Math.min(Math.max(b.wallRatio, lo), hi));
      const left = Math.min(xa, xb);
      const width = Math.max(1, Math.abs(xb - xa));
      body.push(
        `<text x="${labelW}" y="${y + 13}" text-anchor="end">${xmlEscape(rowLabel(r, b))}</text>`,
        `<rect class="bar" data-workload="${xmlEscape(b.workload)}" data-contender="${xmlEscape(b.contender)}" data-variant="${b.variant}" data-ratio="${b.wallRatio.toFixed(4)}" x="${left.toFixed(1)}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowH - 5}" fill="${COLOURS[kind]}"${b.variant === 'pinned' ? ' fill-opacity="0.6"' : ''}/>`,
        `<text x="${(Math.max(xa, xb) + 4).toFixed(1)}" y="${y + 13}">${xmlEscape(`${fmtRatio(b.wallRatio)}  (${b.wall ? fmtMs(b.wall.median) : ''})`)}</text>`,
      );
      y += rowH;
    }
    for (const c of others) {
      body.push(
        `<text x="${labelW}" y="${y + 13}" text-anchor="end" fill="#b00020">${xmlEscape(rowLabel(r, c))}</text>`,
        `<text x="${x0 + 4}" y="${y + 13}" fill="#b00020">failed: ${xmlEscape((c.reason ?? '').slice(0, 80))}</text>`,
      );
      y += rowH;
    }
    y += 6;
  }
  const axis: string[] = [];
  for (const t of ticks(lo, hi)) {
    const xt = x(t).toFixed(1);
    axis.push(
      `<line x1="${xt}" y1="${top - 6}" x2="${xt}" y2="${y}" stroke="${t === 1 ? '#333' : '#ddd'}" stroke-width="1"/>`,
      `<text x="${xt}" y="${top - 10}" text-anchor="middle" fill="#555">${t}x</text>`,
    );
  }
  const height = y + 30;
  const title = `sb benchmark: wall-clock time / native (median, log scale) — ${r.host}, ${r.startedAt.slice(0, 10)}${r.quick ? ' — QUICK RUN' : ''}`;
  const legend = `grey: native, blue: sb, orange: peers; lighter: pinned to one CPU. Load at start ${r.machine.loadStart.map((l) => l.toFixed(2)).join(' ')}.`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${xmlEscape(title)}</text>`,
    `<text x="10" y="38" fill="#555">${xmlEscape(legend)}</text>`,
    ...axis,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
