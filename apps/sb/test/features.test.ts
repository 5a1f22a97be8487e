import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const sb = (args: string[]) =>
  spawnSync(process.execPath, [SB, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('sb features', () => {
  it('prints every group and the backend sb run would use, with the reason', () => {
    const r = sb(['features']);
    expect(r.status).toBe(0);
    for (const group of ['seccomp', 'ptrace', 'namespaces', 'landlock', 'misc', 'backend']) {
      expect(r.stdout).toMatch(new RegExp(`^${group}$`, 'm'));
    }
    expect(r.stdout).toMatch(/^ {2}PTRACE_SEIZE +yes$/m);
    const landlock = /^ {2}landlock_create_ruleset +yes/m.test(r.stdout);
    // The default profile's plan: user notification where usable (this machine's kernel is 6.x).
    const sup = /^ {2}unotify +usable/m.test(r.stdout) ? 'unotify' : 'ptrace';
    expect(r.stdout).toMatch(
      new RegExp(`^ {2}sb run --backend auto: ${sup}${landlock ? '\\+landlock' : ''}$`, 'm'),
    );
    expect(r.stdout).toMatch(new RegExp(`^ {2}why: ${sup}`, 'm'));
    expect(r.stdout).not.toMatch(/\x1b\[/); // NO_COLOR
  });

  it('--json is one object with the same groups', () => {
    const r = sb(['features', '--json']);
    expect(r.status).toBe(0);
    const f = JSON.parse(r.stdout);
    expect(Object.keys(f).sort()).toEqual([
      'backend',
      'landlock',
      'misc',
      'namespaces',
      'ptrace',
      'seccomp',
      'userNamespaces',
    ]);
    expect(f.userNamespaces.unprivilegedAllowed).toBe(true);
    // The default profile: user notification where usable (race-free), Landlock beneath it.
    const sup = f.backend.candidates.find((c: { name: string; usable: boolean }) => c.name === 'unotify')
      ?.usable
      ? 'unotify'
      : 'ptrace';
    expect(f.backend.backend).toBe(f.landlock.available ? `${sup}+landlock` : sup);
    expect(f.seccomp.filterMode).toBe(true);
    expect(f.namespaces.user).toHaveProperty('available');
  });
});
