import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../results.js';
import { renderMarkdown } from './markdown.js';
import { renderSvg } from './svg.js';

/** `<date>-<host>[-quick]`: one file set per machine and day (a later run that day replaces it). */
export function baseName(r: BenchResult): string {
  const host = r.host.replace(/[^A-Za-z0-9._-]/g, '_');
  return `${r.startedAt.slice(0, 10)}-${host}${r.quick ? '-quick' : ''}`;
}

function atomicWrite(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** Writes JSON, markdown and SVG under `dir`, twice: dated and as latest.*. Returns the paths. */
export function writeResults(r: BenchResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: [string, string][] = [
    ['json', `${JSON.stringify(r, null, 2)}\n`],
    ['md', renderMarkdown(r)],
    ['svg', renderSvg(r)],
  ];
  const written: string[] = [];
  for (const name of [baseName(r), 'latest'])
    for (const [ext, text] of files) {
      const p = join(dir, `${name}.${ext}`);
      atomicWrite(p, text);
      written.push(p);
    }
  return written;
}

/** Reads a results JSON written by `writeResults`. */
export function readResults(path: string): BenchResult {
  const r = JSON.parse(readFileSync(path, 'utf8')) as BenchResult;
  if (r.schema !== 1 || !Array.isArray(r.cells) || !Array.isArray(r.contenders))
    throw new Error(`${path}: not a results file of this benchmark (schema 1)`);
  return r;
}
