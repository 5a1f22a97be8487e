/** The README's first example runs and prints what the README says. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = join(import.meta.dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

describe('README', () => {
  it('the example prints the output shown', () => {
    const section = readme.slice(readme.indexOf('## Example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'sb-unotify-readme-'));
    try {
      const file = join(dir, 'example.mjs');
      // The example is plain JavaScript; the built package is what users import.
      writeFileSync(file, code!.replace("from '@sb/unotify'", `from '${join(pkg, 'dist/index.js')}'`));
      const out = execFileSync(process.execPath, [file], { cwd: pkg, encoding: 'utf8' });
      expect(out).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every emulated and continued call family in its table', () => {
    for (const name of [
      '`openat2`',
      '`unlinkat`',
      '`execve`',
      '`connect`',
      'stat family',
      'path-changing calls',
    ])
      expect(readme).toContain(name);
  });
});
