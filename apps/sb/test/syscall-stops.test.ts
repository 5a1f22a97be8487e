/**
 * `sb run` on a kernel without seccomp filter mode (simulated with
 * SB_FORCE_SYSCALL_STOPS=1): it says it falls back to syscall-stop tracing and
 * enforces the policy the same way.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));

function sb(args: string[], env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'sb-stops-'));
  chmodSync(cwd, 0o755);
  return spawnSync(process.execPath, [SB, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

afterAll(() => rmSync('/etc/sb-cli-stops', { force: true }));

describe('sb run with syscall-stop tracing', () => {
  const script = ['sh', '-c', 'echo hi > f && cat f && touch /etc/sb-cli-stops; exit 4'];

  it('says so on stderr, then enforces the policy as usual', () => {
    const r = sb(['run', '--', ...script], { SB_FORCE_SYSCALL_STOPS: '1' });
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(
      /^sb: [a-z+]+: syscall-stop tracing \(no seccomp filter mode\): every syscall stops, slower; forced by SB_FORCE_SYSCALL_STOPS=1/,
    );
    // Anywhere: a report can land inside a line of the program's own stderr.
    expect(r.stderr).toMatch(/sb: deny write \/etc\/sb-cli-stops \(openat, EACCES/);
    expect(r.stdout).toBe('hi\n');
    expect(r.status).toBe(4);
  });

  it('the same violation lines and status as with seccomp stops; -q silences the notice', () => {
    const normal = sb(['run', '--', ...script], {});
    const stops = sb(['run', '--', ...script], { SB_FORCE_SYSCALL_STOPS: '1' });
    // The program's own stderr shares the terminal: a report can land inside one of its
    // lines (touch writes its message in pieces), so match reports anywhere.
    const violations = (s: string) => [...s.matchAll(/sb: deny \S+ \S+ \([^)]*\)/g)].map((m) => m[0]);
    expect(violations(stops.stderr)).toEqual(violations(normal.stderr));
    expect(violations(normal.stderr)).toHaveLength(1);
    expect(stops.status).toBe(normal.status);
    const quiet = sb(['run', '-q', '--', ...script], { SB_FORCE_SYSCALL_STOPS: '1' });
    expect(quiet.stderr).toBe("touch: cannot touch '/etc/sb-cli-stops': Permission denied\n");
    expect(quiet.status).toBe(4);
  });
});
