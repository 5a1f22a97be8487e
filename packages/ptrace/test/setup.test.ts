import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { asUser, USERS, type User } from './helpers.js';

const HARNESS = fileURLToPath(new URL('./setup-harness.mjs', import.meta.url));

function run(user: User, scenario: string, arg: string, argv: string[]) {
  const [cmd, args] = asUser(user, process.execPath, [HARNESS, scenario, arg, ...argv]);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, cwd: '/' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@RESULT '));
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    ms: Date.now() - t0,
    // biome-ignore lint/suspicious/noExplicitAny: JSON from the harness
    result: (line === undefined ? null : JSON.parse(line.slice('@@RESULT '.length))) as any,
  };
}

describe.each(USERS)('setup programs as %s', (user) => {
  it('runs injected calls in the stub before exec (a new UTS namespace and hostname)', () => {
    const r = run(user, 'hostname', 'sb-setup-test', ['cat', '/proc/sys/kernel/hostname']);
    expect(r.stdout).toBe('sb-setup-test\n');
    expect(r.code).toBe(0);
    // Namespaces are made by a stub that shares the launcher's memory (nothing forks).
    expect(r.result.sharedMemory).toBe(true);
  });

  it('fork into a new pid namespace: the program is pid 1', () => {
    const r = run(user, 'pidns', 'kill', ['sh', '-c', 'echo $$']);
    expect(r.stdout).toBe('1\n');
    expect(r.code).toBe(0);
    // A stub that forks would copy the launcher anyway: it is a copy from the start.
    expect(r.result.sharedMemory).toBe(false);
  });

  it('with a reaper the program is pid 2, and orphans die when it ends', () => {
    // The background sleep outlives the shell; the reaper's end takes it along.
    const r = run(user, 'pidns', 'reaper', ['sh', '-c', 'sleep 1000 & echo $$; exit 7']);
    expect(r.stdout).toBe('2\n');
    expect(r.code).toBe(7);
    expect(r.ms).toBeLessThan(30_000);
  });

  it("a step that changes the address space (mmap) gets a stub that is a copy, not one sharing the launcher's memory", () => {
    const r = run(user, 'maps', '', ['true']);
    expect(r.code).toBe(0);
    expect(r.result.sharedMemory).toBe(false);
  });

  it('skip-unless-ok skips the next steps only after a failed tolerated call', () => {
    const r = run(user, 'skip-try', '', ['true']);
    // The second close(9999) is not skipped and fails: the launch names it.
    expect(r.result.launchError.step).toBe('must run');
    expect(r.result.launchError.message).toContain('EBADF');
  });

  it('patches saved results into bytes before the call', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-setup-'));
    chmodSync(dir, 0o777);
    const out = join(dir, 'fd');
    const r = run(user, 'patch', out, ['true']);
    expect(r.code).toBe(0);
    const b = readFileSync(out);
    const fd = b.readInt32LE(0);
    expect(fd).toBeGreaterThan(2);
    expect(b.readInt32LE(4)).toBe(fd);
  });

  it('take-fd moves an fd out of the stub: the launcher can read it, the program does not hold it', () => {
    const r = run(user, 'take-fd', '/etc/hostname', ['sh', '-c', 'ls /proc/self/fd | tr "\\n" " "']);
    expect(r.result.taken.secret).toBe(readFileSync('/etc/hostname', 'utf8'));
    expect(r.stdout).toBe('0 1 2 3 ');
  });

  it('take-fd asks the kernel about the fd first: an answer it does not accept fails the launch, naming why', () => {
    const ok = run(user, 'take-fd-verified', '/etc/hostname', ['true']);
    expect(ok.result.taken.secret).toBe(readFileSync('/etc/hostname', 'utf8'));
    const refused = run(user, 'take-fd-refused', '/etc/hostname', ['sh', '-c', 'echo ran']);
    expect(refused.stdout).toBe('');
    expect(refused.result.launchError).toMatchObject({ step: 'take secret', errno: 25 });
    expect(refused.result.launchError.message).toMatch(/take secret \(not a terminal\): ENOTTY/);
  });

  it('passes a seccomp program as a sock_fprog', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-setup-'));
    chmodSync(dir, 0o777);
    const r = run(user, 'fprog', '', [
      'sh',
      '-c',
      `mkdir ${dir}/d 2>&1; echo $?; test -d ${dir}/d || echo absent`,
    ]);
    expect(r.stdout).toMatch(/Operation not permitted\n1\nabsent\n$/);
  });

  it.each([
    ['unknown-name', 'bogus', 'ENOSYS'],
    ['unsaved-result', 'close unsaved', 'EINVAL'],
    ['host-fails', 'host helper', 'bad'],
  ])('bad program %s fails the launch at its step', (scenario, step, text) => {
    const r = run(user, scenario, '', ['true']);
    expect(r.code).toBe(99);
    expect(r.result.launchError.step).toBe(step);
    expect(r.result.launchError.message).toContain(text);
  });
});
