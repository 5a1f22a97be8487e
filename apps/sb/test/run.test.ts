import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));

function work(): string {
  const d = mkdtempSync(join(tmpdir(), 'sb-run-'));
  chmodSync(d, 0o755);
  return d;
}

function sb(args: string[], cwd = work(), extra: { stdio?: ('pipe' | 'ignore')[] } = {}) {
  const r = spawnSync(process.execPath, [SB, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    ...extra,
  });
  // A status of null says only "no status": say why, for a failure seen only in CI.
  if (r.status === null) console.error(`sb ${args.join(' ')}: ${r.error?.message ?? r.signal}\n${r.stderr}`);
  return r;
}

afterAll(() => {
  for (const f of ['/etc/sb-cli-denied', '/etc/sb-cli-2']) rmSync(f, { force: true });
});

describe('sb run', () => {
  it('prints nothing of its own when the program binds a socket (the successful-bind allowance at work)', () => {
    const r = sb([
      'run',
      '--',
      'python3',
      '-c',
      "import socket\nl=socket.socket()\nl.bind(('127.0.0.1',0))\nl.listen()\nprint('bound')",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('bound\n');
    // The tracer thread once closed its socket copies with fs.closeSync: a Node warning per bind.
    expect(r.stderr).toBe('');
  });

  it('allows reads and writes in the working directory, denies /etc, and says so on stderr', () => {
    const dir = work();
    const r = sb(
      ['run', '--', 'sh', '-c', 'ls /etc >/dev/null && echo hi > f && cat f && touch /etc/sb-cli-denied'],
      dir,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toContain("touch: cannot touch '/etc/sb-cli-denied': Permission denied");
    expect(r.stderr).toMatch(
      new RegExp(
        `sb: deny write /etc/sb-cli-denied \\(openat, EACCES, default: write deny\\) pid \\d+ cwd ${dir}$`,
        'm',
      ),
    );
  });

  it('names the deciding rule with file:line, and writes JSON lines with --log', () => {
    const dir = work();
    writeFileSync(
      join(dir, 'p.yaml'),
      'extends: [readonly]\nrules:\n  - allow write /tmp/***\n  - deny write /tmp/sb-cli-no/***\n',
    );
    const log = join(dir, 'v.jsonl');
    const r = sb(['run', '-c', 'p.yaml', '--log', log, '--', 'sh', '-c', 'mkdir -p /tmp/sb-cli-no/x'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /sb: deny write \/tmp\/sb-cli-no \(mkdir, EACCES, rule 'deny write \/tmp\/sb-cli-no\/\*\*\*' at p\.yaml:4:5\) pid \d+ cwd \//m,
    );
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      syscall: 'mkdir',
      category: 'write',
      subject: '/tmp/sb-cli-no',
      decision: 'deny',
      errno: 'EACCES',
      reason: 'rule',
      rule: { action: 'deny', category: 'write', pattern: '/tmp/sb-cli-no/***', file: 'p.yaml', line: 4 },
    });
    expect(lines[0].cwd).toMatch(/^\//); // mkdir -p works from inside the parents it creates
    expect(lines[0].pid).toBeGreaterThan(0);
  });

  it('--log-fd and --quiet: JSON on the fd, nothing on stderr', () => {
    const r = spawnSync(
      'sh',
      ['-c', `"${process.execPath}" "${SB}" run -q --log-fd 3 -- touch /etc/sb-cli-2 3>&1 2>/dev/null`],
      { encoding: 'utf8', timeout: 60_000, cwd: work() },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout.trim())).toMatchObject({ syscall: 'openat', subject: '/etc/sb-cli-2' });
  });

  it('applies -p, -c and -m in command-line order', () => {
    const dir = work();
    // readonly, then a magic command that allows the cwd again: the later one wins.
    const ok = sb(['run', '-p', 'readonly', '-m', `allowlist/write+${dir}/***`, '--', 'touch', 'a'], dir);
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('');
    const denied = sb(
      [
        'run',
        '-m',
        `allowlist/write+${dir}/***`,
        '-p',
        'readonly',
        '-m',
        `denylist/write+${dir}/***`,
        '--',
        'touch',
        'b',
      ],
      dir,
    );
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/rule 'deny write .*' at -m #2:1/);
  });

  it.each([
    [['sh', '-c', 'exit 7'], 7],
    [['sh', '-c', 'kill -KILL $$'], 137],
    [['sb-no-such-program'], 127],
  ])('%j exits with %i', (command, code) => {
    expect(sb(['run', '--', ...command]).status).toBe(code);
  });

  it.each([
    [['run', '-p', 'nope', '--', 'true'], /^sb: unknown profile 'nope' \(known: default, paludis/],
    [
      ['run', '-m', 'core/sandbox/wrte:deny', '--', 'true'],
      /unknown magic key 'core\/sandbox\/wrte' \(did you mean 'core\/sandbox\/write'\?\)/,
    ],
    [['run', '-c', '/nonexistent.yaml', '--', 'true'], /\/nonexistent\.yaml: cannot read the policy file/],
    [['run', '--log', '/nonexistent/dir/log', '--', 'true'], /--log \/nonexistent\/dir\/log: ENOENT/],
    [['run'], /name a program to run/],
  ])('%j is a usage error (exit 2)', (args, message) => {
    const r = sb(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('checks the program itself against the exec category: 126 and a report when denied', () => {
    const denied = sb(['run', '-m', 'core/sandbox/exec:deny', '--', 'true']);
    expect(denied.status).toBe(126);
    expect(denied.stderr).toMatch(/sb: deny exec \/usr\/bin\/true \(execve, EACCES, default: exec deny\)/m);
    const allowed = sb([
      'run',
      '-m',
      'core/sandbox/exec:deny',
      '-m',
      'allowlist/exec+/usr/bin/***',
      '--',
      'true',
    ]);
    expect(allowed.status).toBe(0);
    expect(sb(['run', '-m', 'exec/kill_if_match+/usr/bin/true', '--', 'true']).status).toBe(137);
  });

  it('core/violation/exit_code after a killall', () => {
    const r = sb([
      'run',
      '-m',
      'core/sandbox/write:deny',
      '-m',
      'core/violation/decision:killall',
      '-m',
      'core/violation/exit_code:42',
      '--',
      'sh',
      '-c',
      'touch /etc/sb-cli-denied; echo survived',
    ]);
    expect(r.status).toBe(42);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/sb: killall write \/etc\/sb-cli-denied/m);
  });

  it('passes SIGTERM to the program and exits with its status', async () => {
    const child = spawn(
      process.execPath,
      [SB, 'run', '--', 'sh', '-c', 'trap "exit 5" TERM; echo ready; while :; do sleep 0.1; done'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: work(),
      },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(5);
  });

  it('a second SIGTERM kills every process of the sandbox, leaving none behind', async () => {
    const child = spawn(
      process.execPath,
      [SB, 'run', '--', 'sh', '-c', 'trap "" TERM; sleep 300 & echo $!; wait'],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: work() },
    );
    const sleeper = await new Promise<number>((resolve) =>
      child.stdout.once('data', (d) => resolve(Number(String(d).trim()))),
    );
    const started = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(137);
    expect(Date.now() - started).toBeLessThan(10_000);
    // Gone, or a zombie its new parent (init) has not reaped yet: not running either way.
    let state = '';
    try {
      state = readFileSync(`/proc/${sleeper}/stat`, 'utf8').split(') ')[1]?.[0] ?? '';
    } catch {
      state = 'gone';
    }
    expect(['gone', 'Z', 'X']).toContain(state);
  });

  it('works as an ordinary user (uid 65534 through setpriv)', () => {
    const dir = work();
    chownSync(dir, 65534, 65534);
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        SB,
        'run',
        '--',
        'sh',
        '-c',
        'echo ok > f && cat f && touch /etc/sb-cli-denied',
      ],
      { encoding: 'utf8', timeout: 60_000, cwd: dir, env: { ...process.env, NO_COLOR: '1', HOME: dir } },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('ok\n');
    expect(r.stderr).toMatch(
      /sb: deny write \/etc\/sb-cli-denied \(openat, EACCES, default: write deny\) pid \d+ cwd /m,
    );
  });

  it('--help names the default profile', () => {
    const r = sb(['run', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("With no -c/-m/-p, the 'default' profile applies");
    expect(r.stdout).toContain('writes only below the working directory');
  });
});
