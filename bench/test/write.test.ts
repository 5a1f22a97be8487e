import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseName, readResults, writeResults } from '../src/report/write.js';
import { fixtureResult } from './fixture.js';

const tmp = mkdtempSync(join(tmpdir(), 'sb-bench-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeResults', () => {
  it('writes <date>-<host>[-quick] and latest, as JSON, markdown and SVG', () => {
    const r = fixtureResult();
    expect(baseName(r)).toBe('2026-11-29-test_host_-quick');
    const dir = join(tmp, 'out');
    writeResults(r, dir);
    expect(readdirSync(dir).sort()).toEqual(
      ['json', 'md', 'svg'].flatMap((e) => [`2026-11-29-test_host_-quick.${e}`, `latest.${e}`]).sort(),
    );
    expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toBe(
      readFileSync(join(dir, '2026-11-29-test_host_-quick.md'), 'utf8'),
    );
    expect(existsSync(join(dir, 'latest.json.tmp'))).toBe(false);
  });

  it('reads back what it wrote', () => {
    const r = fixtureResult();
    const dir = join(tmp, 'round');
    writeResults(r, dir);
    expect(readResults(join(dir, 'latest.json'))).toEqual(r);
  });

  it('refuses a JSON file that is not a results file', () => {
    const p = join(tmp, 'other.json');
    writeFileSync(p, '{"name": "x"}');
    expect(() => readResults(p)).toThrow(/not a results file/);
  });
});
