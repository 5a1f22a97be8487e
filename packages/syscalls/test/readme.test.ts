/** The README's example runs and prints what the README says; its tables name every ABI and group. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { arches, groups, syscalls } from '../src/index.js';

const pkg = join(import.meta.dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

describe('README', () => {
  it('the example prints the output shown', () => {
    const section = readme.slice(readme.indexOf('## Example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'sb-syscalls-readme-'));
    try {
      const file = join(dir, 'example.ts');
      const entry = pathToFileURL(join(pkg, 'src/index.ts')).href;
      writeFileSync(file, code!.replace("from '@sb/syscalls'", `from '${entry}'`));
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: pkg, encoding: 'utf8' });
      expect(out).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every ABI and every group', () => {
    // Table cells may be padded by the formatter.
    const flat = readme.replace(/[ \t]*\|[ \t]*/g, '|');
    for (const a of arches()) {
      const row = [
        a.name,
        a.aliases.join(', '),
        a.auditArchName.replace('AUDIT_ARCH_', ''),
        `0x${a.auditArch.toString(16)}`,
        a.bits,
        a.endian,
        syscalls(a).length,
        Object.keys(a.multiplexers).join(', ') || '-',
        a.introduced,
      ];
      expect(flat).toContain(`|${row.join('|')}|`);
    }
    for (const g of groups()) expect(flat).toContain(`|\`${g.name}\`|${g.description}|`);
  });
});
