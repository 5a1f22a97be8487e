import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const sb = (args: string[], cwd: string) =>
  spawnSync(process.execPath, [SB, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
  });

describe('sb explain', () => {
  it('names the deciding rule or default and what to add, folding duplicates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-explain-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'p.yaml'), 'extends: [readonly]\nrules:\n  - deny read /etc/shadow\n');
    const run = sb(
      [
        'run',
        '-c',
        'p.yaml',
        '-m',
        'core/sandbox/read:allow',
        '--log',
        'v.jsonl',
        '--',
        'sh',
        '-c',
        'touch /etc/sb-x; touch /etc/sb-x; cat /etc/shadow',
      ],
      dir,
    );
    expect(run.status).toBe(1);
    const r = sb(['explain', 'v.jsonl'], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(['sb: deny write /etc/sb-x (openat, EACCES, default: write deny) pid'][0]);
    expect(r.stdout).toMatch(
      /\(2 times\)\n {2}decided by: the default of the write category \(deny\): no rule matched\n {2}to allow: add the rule `allow write \/etc\/sb-x` to a policy file \(the last matching rule wins\)\n {2}to allow: or run with -m 'allowlist\/write\+\/etc\/sb-x'\n/,
    );
    expect(r.stdout).toMatch(
      /decided by: rule 'deny read \/etc\/shadow' at p\.yaml:3:5\n {2}to allow: add the rule `allow read \/etc\/shadow` to a policy file after that rule \(p\.yaml:3\)/,
    );
  });

  it('--json gives one object per distinct violation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-explain-'));
    sb(['run', '--log', 'v.jsonl', '--', 'sh', '-c', 'mkdir /usr/sb-x; mkdir /usr/sb-x'], dir);
    const r = sb(['explain', '--json', 'v.jsonl'], dir);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ count: 2, violation: { syscall: 'mkdir', subject: '/usr/sb-x' } });
  });

  it('names the bad line of a malformed log', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-explain-'));
    writeFileSync(join(dir, 'bad.jsonl'), '{"syscall":"openat","decision":"deny"}\nnot json\n');
    const r = sb(['explain', 'bad.jsonl'], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^sb: bad\.jsonl:2: not JSON/);
  });
});
