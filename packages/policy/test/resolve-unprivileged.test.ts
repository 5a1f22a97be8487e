import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const isRoot = process.getuid?.() === 0;

describe.runIf(isRoot)('path resolution as an unprivileged supervisor (setpriv nobody)', () => {
  it('resolves its own child and fails closed (EACCES) on a process it may not inspect', () => {
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const out = execFileSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '--import',
        'tsx',
        'test/fixtures/unprivileged.ts',
      ],
      { cwd: pkg, encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
    );
    expect(JSON.parse(out)).toEqual({ uid: 65534, own: '/tmp', init: 'EACCES' });
  }, 30_000);
});
