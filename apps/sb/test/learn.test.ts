import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const sb = (args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [SB, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });

describe('sb learn', () => {
  it('writes a policy under which the same command runs without a violation, and other accesses are denied', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-learn-'));
    chmodSync(dir, 0o755);
    writeFileSync(
      join(dir, 'build.sh'),
      '#!/bin/sh\nsrc=$EXTRA\n[ -n "$src" ] || src=/etc/hostname\nmkdir -p out\nfor f in a b c d; do cat "$src" > out/$f; done\nls out | wc -l\n',
      {
        mode: 0o755,
      },
    );
    const learned = sb(['learn', '-O', 'policy.yaml', '--', './build.sh'], dir);
    expect(learned.status).toBe(0);
    expect(learned.stdout).toBe('4\n');
    expect(learned.stderr).toMatch(/^sb: learned \d+ accesses; policy written to policy\.yaml$/m);
    const policy = readFileSync(join(dir, 'policy.yaml'), 'utf8');
    expect(policy).toContain('"allow read /etc/hostname"');
    expect(policy).toContain('"allow exec /usr/bin/***"'); // cat, mkdir, ls, wc: 3 or more entries
    expect(policy).toMatch(
      /"allow read \/usr\/lib\/x86_64-linux-gnu\/\*\*\*"|"allow read \/usr\/lib\/\S+\/\*\*\*"/,
    );
    expect(policy).not.toMatch(/"allow \w+ \/(usr|etc)\/\*\*\*"/); // top-level dirs are never allowed whole

    const again = sb(['run', '-c', 'policy.yaml', '--', './build.sh'], dir);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('4\n');

    const other = sb(['run', '-c', 'policy.yaml', '--', './build.sh'], dir, { EXTRA: '/etc/passwd' });
    expect(other.stderr).toMatch(/sb: deny read \/etc\/passwd \(openat, EACCES, default: read deny\)/m);
    expect(other.stderr).toContain('cat: /etc/passwd: Permission denied');
  });
});
