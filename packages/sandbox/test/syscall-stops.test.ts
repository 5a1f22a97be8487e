/**
 * The fallback for kernels without seccomp filters: chooseBackend() keeps the
 * ptrace backend and says so, and a sandbox forced into syscall-stop tracing
 * (SB_FORCE_SYSCALL_STOPS=1, read by the tracer thread) makes the same decisions
 * with many more stops. e2e.test.ts runs every end-to-end case in both modes.
 */
import { probeSeccomp } from '@sb/bpf';
import { probe as probePtrace } from '@sb/ptrace';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseBackend } from '../src/index.js';
import { run, workDir } from './helpers.js';

const seccomp = probeSeccomp();
const ptrace = probePtrace();

describe('chooseBackend', () => {
  it.each([
    ['this kernel', seccomp, ptrace, {}, 'ptrace', false, /^ptrace: seccomp filters with SECCOMP_RET_TRACE/],
    [
      'no seccomp filter mode',
      { ...seccomp, filterMode: false },
      { ...ptrace, seccompOrder: null },
      {},
      'ptrace',
      true,
      /^ptrace: syscall-stop tracing \(no seccomp filter mode\): every syscall stops, slower; seccomp filter mode is missing/,
    ],
    [
      'before 3.5 (no PTRACE_O_TRACESECCOMP)',
      seccomp,
      { ...ptrace, traceSeccomp: false, seccompOrder: null },
      {},
      'ptrace',
      true,
      /PTRACE_O_TRACESECCOMP is missing \(kernel before 3\.5\)/,
    ],
    [
      'forced',
      seccomp,
      ptrace,
      { SB_FORCE_SYSCALL_STOPS: '1' },
      'ptrace',
      true,
      /syscall-stop tracing .*forced by SB_FORCE_SYSCALL_STOPS=1/,
    ],
    [
      'no ptrace',
      seccomp,
      { ...ptrace, seize: false, seizeErrno: 1 },
      {},
      null,
      false,
      /^no usable backend: PTRACE_SEIZE fails/,
    ],
  ] as const)('%s', (_name, s, p, env, backend, stops, reason) => {
    const c = chooseBackend(s, p, env);
    expect(c.backend).toBe(backend);
    expect(c.syscallStops === true).toBe(stops);
    expect(c.reason).toMatch(reason);
    expect(c.candidates.find((x) => x.name === 'ptrace')?.usable).toBe(backend !== null);
  });
});

describe('a sandbox in syscall-stop mode', () => {
  afterEach(() => {
    delete process.env.SB_FORCE_SYSCALL_STOPS;
  });

  const once = async (forced: boolean) => {
    if (forced) process.env.SB_FORCE_SYSCALL_STOPS = '1';
    else delete process.env.SB_FORCE_SYSCALL_STOPS;
    const dir = workDir(false);
    return run(
      'sh',
      ['-c', 'echo ok > f && cat f; cp /etc/hostname /etc/sb-stops-denied; mkdir /usr/sb-stops; exit 3'],
      { cwd: dir, env: { PATH: '/usr/bin:/bin', LANG: 'C' } },
    );
  };

  it('decides exactly as with seccomp stops, through many more stops', async () => {
    const filtered = await once(false);
    const stops = await once(true);
    const strip = (r: typeof filtered) =>
      r.violations.map(({ time: _t, pid: _p, tid: _i, cwd: _c, ...v }) => v);
    expect(stops.stdout.toString()).toBe('ok\n');
    expect(stops.code).toBe(3);
    expect(filtered.code).toBe(3);
    expect(stops.stderr.toString()).toBe(filtered.stderr.toString());
    expect(strip(stops)).toEqual(strip(filtered));
    expect(strip(stops).map((v) => [v.syscall, v.subject, v.decision])).toEqual([
      ['openat', '/etc/sb-stops-denied', 'deny'],
      ['mkdir', '/usr/sb-stops', 'deny'],
    ]);
    // Every syscall stops twice in that mode; only the trapped ones did with the filter.
    expect(stops.stops).toBeGreaterThan(2 * filtered.stops);
  });
});
