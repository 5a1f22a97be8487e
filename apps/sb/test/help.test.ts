/** Help texts: `sb --help` lists every command with examples and exit codes; `sb run --help` its exit codes and default profile. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PROFILE_DESCRIPTION } from '@sb/sandbox';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const sb = (...args: string[]) =>
  spawnSync(process.execPath, [SB, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe('help', () => {
  it('sb --help: commands, examples that use real commands, exit status', () => {
    const r = sb('--help');
    expect(r.status).toBe(0);
    const commands = [...r.stdout.matchAll(/^ {2}([a-z-]+)(?: \[command\])? {2,}/gm)].map((m) => m[1]);
    expect(commands).toEqual(
      expect.arrayContaining([
        'run',
        'features',
        'learn',
        'explain',
        'trace',
        'syscalls',
        'bpf',
        'completion',
        'help',
      ]),
    );
    const examples = r.stdout.split('Examples:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(examples.length).toBeGreaterThanOrEqual(5);
    for (const line of examples) {
      const used = [...line.matchAll(/\bsb ([a-z-]+)/g)].map((m) => m[1]);
      expect(used.length).toBeGreaterThan(0);
      for (const c of used) expect(commands).toContain(c);
    }
    expect(r.stdout).toMatch(/Exit status: .*program's status/);
    expect(r.stdout).toMatch(/2: bad usage/);
  });

  it('sb run --help: default profile, exit codes, the syscall-stop fallback', () => {
    const r = sb('run', '--help');
    expect(r.status).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      `the 'default' profile applies: ${DEFAULT_PROFILE_DESCRIPTION.replace(/\s+/g, ' ')}`,
    );
    for (const code of [
      '128 + signal',
      '126/127',
      '2: bad usage or policy',
      '1: no backend',
      '70: internal error',
    ])
      expect(text).toContain(code);
    expect(text).toContain('SB_FORCE_SYSCALL_STOPS=1');
  });
});
