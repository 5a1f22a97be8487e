import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCpio } from '../src/cpio.js';

describe('newc cpio writer', () => {
  it('writes an archive busybox cpio unpacks exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-cpio-'));
    const src = join(dir, 'big');
    const big = Buffer.alloc(3 * 1024 * 1024 + 3, 7);
    writeFileSync(src, big);
    const out = join(dir, 'a.cpio');
    writeCpio(
      out,
      [
        { type: 'dir', path: 'etc', mode: 0o755 },
        { type: 'file', path: 'etc/x', mode: 0o640, from: Buffer.from('hello') },
        { type: 'file', path: 'etc/big', mode: 0o755, from: src },
        { type: 'symlink', path: 'etc/link', target: 'x' },
      ],
      (f) => statSync(f).size,
    );
    const into = join(dir, 'out');
    execFileSync('sh', ['-c', `mkdir ${into} && cd ${into} && busybox cpio -id < ${out}`]);
    expect(readFileSync(join(into, 'etc/x'), 'utf8')).toBe('hello');
    expect(statSync(join(into, 'etc/x')).mode & 0o777).toBe(0o640);
    expect(readFileSync(join(into, 'etc/big')).equals(big)).toBe(true);
    expect(readlinkSync(join(into, 'etc/link'))).toBe('x');
  });
});
