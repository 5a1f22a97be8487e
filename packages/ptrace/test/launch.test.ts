import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeFilter, traceFilter } from '../src/index.js';
import { runHarness, USERS } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'sb-ptrace-launch-'));
chmodSync(dir, 0o755);
const notExec = join(dir, 'not-executable');
writeFileSync(notExec, '#!/bin/sh\necho no\n', { mode: 0o644 });
chmodSync(notExec, 0o644);

describe.each(USERS)('launch as %s', (user) => {
  it('sets cwd, umask, rlimits and env, and closes inherited fds', () => {
    const script =
      'pwd; umask; ulimit -n; ulimit -c; echo "$SB_TEST"; ls /proc/self/fd | sort -n | tr "\\n" " "';
    const r = runHarness(user, {
      argv: ['sh', '-c', script],
      launch: {
        cwd: dir,
        umask: 0o27,
        rlimits: { nofile: { soft: 64, hard: 128 }, core: { soft: 0, hard: 0 } },
        env: { PATH: '/usr/bin:/bin', SB_TEST: 'from-env' },
      },
    });
    // ls sees 0,1,2 and its own directory fd: nothing of Node's leaked.
    expect(r.stdout).toBe(`${dir}\n0027\n64\n0\nfrom-env\n0 1 2 3 `);
    expect(r.code).toBe(0);
  });

  it("stdio 'ignore' is /dev/null", () => {
    const r = runHarness(user, {
      argv: ['sh', '-c', 'readlink /proc/self/fd/0; echo out'],
      launch: { stdio: ['ignore', 'inherit', 'inherit'] },
    });
    expect(r.stdout).toBe('/dev/null\nout\n');
  });

  it("resets the signal mask and Node's ignored SIGPIPE before exec", () => {
    const r = runHarness(user, { argv: ['sh', '-c', 'grep -E "^Sig(Blk|Ign)" /proc/self/status'] });
    expect(r.stdout).toBe('SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n');
  });

  it.each([
    [['no-such-program-sb'], { env: { PATH: '/usr/bin:/bin' } }, 'resolve program', 'ENOENT'],
    [['/no/such/file'], {}, 'execve /no/such/file', 'ENOENT'],
    [[notExec], {}, `execve ${notExec}`, 'EACCES'],
    [['true'], { cwd: '/no/such/dir' }, 'chdir /no/such/dir', 'ENOENT'],
    [['true'], { stdio: ['inherit', 987] }, 'stdio[1]: fd 987 is not open', 'EBADF'],
    [['true'], { rlimits: { nofile: { soft: 10, hard: 5 } } }, 'setrlimit nofile', 'EINVAL'],
  ])('%j %j fails at %s with %s, killing the stub', (argv, launch, step, code) => {
    const r = runHarness(user, { argv, launch, filter: 'none' });
    expect(r.code).toBe(99);
    expect(r.result.launchError.step).toBe(step);
    expect(r.result.launchError.message).toContain(code);
  });
});

describe('launch with filters', () => {
  it('a filter that refuses execve fails the launch with its errno', () => {
    // arch ok -> nr == execve(59) ? ERRNO(EPERM) : ALLOW
    const f = encodeFilter([
      { code: 0x20, jt: 0, jf: 0, k: 0 },
      { code: 0x15, jt: 0, jf: 1, k: 59 },
      { code: 0x06, jt: 0, jf: 0, k: 0x00050001 },
      { code: 0x06, jt: 0, jf: 0, k: 0x7fff0000 },
    ]);
    const r = runHarness('root', { argv: ['true'], filterBytes: [...f] });
    expect(r.result.launchError.step).toBe('execve /usr/bin/true');
    expect(r.result.launchError.message).toContain('EPERM');
  });

  it('an invalid program is refused by the kernel at the seccomp step', () => {
    // A jump past the end.
    const f = encodeFilter([
      { code: 0x15, jt: 9, jf: 9, k: 0 },
      { code: 0x06, jt: 0, jf: 0, k: 0x7fff0000 },
    ]);
    const r = runHarness('root', { argv: ['true'], filterBytes: [...f] });
    expect(r.result.launchError.step).toBe('seccomp filter');
    expect(r.result.launchError.message).toContain('EINVAL');
  });

  it('trace filters trap exactly the listed calls', () => {
    const r = runHarness('root', { argv: ['sh', '-c', 'cat /dev/null'], filter: [257, 59] });
    expect(Object.keys(r.result.seccomp).sort()).toEqual(['x86_64:257', 'x86_64:59']);
    expect(traceFilter({ auditArch: 0xc000003e }).length).toBe(5 * 8);
  });
});
