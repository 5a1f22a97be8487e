/** The KVM verdict's cache key: the QEMU binary is found on PATH like the boot finds it. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandPath, verdictKey } from '../src/accel.js';

describe('commandPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-accel-'));
  writeFileSync(join(dir, 'fake-qemu'), '', { mode: 0o755 });

  it.each([
    ['a bare name, found on PATH', 'fake-qemu', `/nonexistent:${dir}`, join(dir, 'fake-qemu')],
    ['a bare name, not on PATH', 'fake-qemu', '/nonexistent', null],
    ['a path, taken as it is', join(dir, 'fake-qemu'), '', join(dir, 'fake-qemu')],
    ['a missing path', join(dir, 'nope'), dir, null],
  ])('%s', (_what, command, path, want) => {
    expect(commandPath(command, path)).toBe(want);
  });
});

describe('verdictKey', () => {
  it('stats the binary a bare name stands for (the default, qemu-system-x86_64)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-accel-'));
    const bin = join(dir, 'qemu-system-x86_64');
    writeFileSync(bin, '', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = dir;
    try {
      expect(verdictKey('qemu-system-x86_64')).toMatch(new RegExp(` ${bin} ${statSync(bin).mtimeMs}$`));
      expect(verdictKey('no-such-qemu')).toMatch(/ no-such-qemu missing$/);
    } finally {
      process.env.PATH = saved;
    }
  });
});
