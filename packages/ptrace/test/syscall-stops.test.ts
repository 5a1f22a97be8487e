/**
 * Syscall-stop tracing, the fallback for kernels without seccomp filters (or
 * without PTRACE_O_TRACESECCOMP, before 3.5): forced here by overriding the
 * probed features as such a kernel reports them. The same programs under the
 * same filters must reach the handler with the same calls and get the same
 * results as with seccomp stops, both with PTRACE_GET_SYSCALL_INFO (5.3+) and
 * with the entry/exit toggle and registers only (older kernels).
 */
import { chmodSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { action, compile, encode } from '@sb/bpf';
import { describe, expect, it } from 'vitest';
import { Tracer, traceMode } from '../src/index.js';
import { fixtures, runHarness, USERS } from './helpers.js';

const MKDIR = 83;
const GETPID = 39;
const WRITE = 1;
const X32_GETPID = 39 | 0x40000000;
const EACCES = 13;
const EPERM = 1;
const ENOSYS = 38;

const SECCOMP = [['seccomp stops', {}]] as const;
const STOPS = [
  ['syscall stops + syscall info', { traceSeccomp: false }],
  ['syscall stops + registers', { traceSeccomp: false, syscallInfo: false }],
] as const;

describe('mode choice', () => {
  const base = new Tracer().features;
  it.each([
    [{ ...base, traceSeccomp: true, seccompOrder: 'enter-first' as const }, {}, 'seccomp'],
    [{ ...base, traceSeccomp: false, seccompOrder: null }, {}, 'syscall-stops'],
    // PTRACE_O_TRACESECCOMP accepted but no filter could be installed (no CONFIG_SECCOMP_FILTER).
    [{ ...base, traceSeccomp: true, seccompOrder: null }, {}, 'syscall-stops'],
    [
      { ...base, traceSeccomp: true, seccompOrder: 'enter-first' as const },
      { SB_FORCE_SYSCALL_STOPS: '1' },
      'syscall-stops',
    ],
  ])('%#: %j -> %s', (f, env, mode) => {
    expect(traceMode(f, 'auto', env)).toBe(mode);
  });

  it('a tracer on such a kernel picks syscall stops', () => {
    expect(new Tracer({ features: { traceSeccomp: false } }).mode).toBe('syscall-stops');
    expect(new Tracer({ mode: 'syscall-stops' }).mode).toBe('syscall-stops');
  });
});

describe.each(USERS)('syscall-stop tracing as %s', (user) => {
  const fx = fixtures();
  const dir = mkdtempSync(join(tmpdir(), 'sb-ptrace-stops-'));
  chmodSync(dir, 0o777);

  describe.each(STOPS)('%s', (name, features) => {
    it('denies, fakes and rewrites exactly the trapped calls', () => {
      const target = join(dir, `d-${user}-${name.replace(/\W/g, '')}`);
      const r = runHarness(user, {
        argv: [fx.syscalls!, target],
        features,
        deny: { [MKDIR]: EACCES },
        fake: { [GETPID]: 4242 },
        rewrite: { [WRITE]: [2, 3] },
        filter: [MKDIR, GETPID, WRITE],
      });
      expect(r.stdout).toBe(`mkdir=-1 errno=${EACCES}\ngetpid=4242\nABC\nx32-getpid=-1 errno=${ENOSYS}\n`);
      expect(r.code).toBe(0);
      expect(existsSync(target)).toBe(false);
      expect(r.result.seccomp[`x32:${X32_GETPID}`]).toBe(1);
      expect(r.result.seccomp[`x86_64:${GETPID}`]).toBe(1);
      expect(r.result.exitValues[`x86_64:${WRITE}`]).toContain('3');
      // Only what the filter traps reaches the handler (the launch's own calls never do).
      const natives = Object.keys(r.result.seccomp).filter((k) => k.startsWith('x86_64:'));
      expect(natives.every((k) => [MKDIR, GETPID, WRITE].includes(Number(k.split(':')[1])))).toBe(true);
    });

    it("the filter's own ERRNO and KILL verdicts apply without reaching the handler", () => {
      const filter = encode(
        compile({
          arches: ['x86_64', 'x32'],
          defaultAction: action.allow,
          badArchAction: action.killProcess,
          rules: [
            { syscall: 'mkdir', action: action.errno(EPERM) },
            { syscall: 'getpid', action: action.trace(7) },
          ],
        }),
      );
      const target = join(dir, `e-${user}-${name.replace(/\W/g, '')}`);
      const r = runHarness(user, { argv: [fx.syscalls!, target], features, filterBytes: [...filter] });
      expect(r.stdout).toMatch(new RegExp(`^mkdir=-1 errno=${EPERM}\ngetpid=\\d+\n`));
      expect(Object.keys(r.result.seccomp).sort()).toEqual([`x32:${X32_GETPID}`, `x86_64:${GETPID}`]);
      // A KILL_PROCESS verdict (here for write) kills the program before it prints.
      const killer = encode(
        compile({
          arches: ['x86_64'],
          defaultAction: action.allow,
          badArchAction: action.killProcess,
          rules: [{ syscall: 'write', action: action.killProcess }],
        }),
      );
      const k = runHarness(user, { argv: ['sh', '-c', 'echo never'], features, filterBytes: [...killer] });
      expect(k.stdout).toBe('');
      expect(k.result.status.signal).toBe(9);
    });

    it('strips CLONE_UNTRACED and refuses clone3 with and without a user filter', () => {
      for (const filter of [[110], 'none'] as const) {
        const r = runHarness(user, { argv: [fx.untraced!], features, filter });
        expect(r.stdout).toBe(`clone-child=3\nclone3=-1 errno=${ENOSYS}\n`);
        expect(r.result.spawns.fork + r.result.spawns.clone + r.result.spawns.unknown).toBe(1);
      }
    });

    // Each keeps entry and exit in step: a missed or doubled toggle shows in the counts or the output.
    it.each([
      [
        '16 threads',
        () => {
          const r = runHarness(user, { argv: [fx.threads!, '100'], features });
          expect(r.stdout).toBe('threads=16 ok=3200\n');
          expect(r.result.seccomp['x86_64:110']).toBe(16 * 100);
        },
      ],
      [
        'exec from a non-leader thread',
        () => {
          const r = runHarness(user, { argv: [fx.thread_exec!], features });
          expect(r.stdout).toBe('from-thread\n');
          expect(r.result.execs).toHaveLength(1);
        },
      ],
      [
        'vfork',
        () => {
          const r = runHarness(user, { argv: [fx.vfork!], features });
          expect(r.stdout).toBe('vfork-exec\nexec-child=0 exit-child=5\n');
        },
      ],
      [
        '200 forks',
        () => {
          const r = runHarness(user, { argv: [fx.forker!, '200'], features, filter: [61] });
          expect(r.stdout).toBe('forked=200 bad=0\n');
          expect(r.result.seccomp['x86_64:61']).toBe(200);
        },
      ],
      [
        'job control',
        () => {
          const r = runHarness(user, { argv: [fx.jobctl!], features });
          expect(r.stdout).toBe(
            'stopped by 19\nfrozen=yes\nmoving=yes\nstopped by 20\nfrozen=yes\nmoving=yes\nchild-signal=15\n',
          );
        },
      ],
      [
        'a shell pipeline and its status',
        () => {
          const r = runHarness(user, {
            argv: ['sh', '-c', 'seq 1 3000 | grep 7 | tail -n 1; exit 3'],
            features,
          });
          expect(r.stdout).toBe('2997\n');
          expect(r.result.status).toEqual({ code: 3, signal: null, core: false });
        },
      ],
    ] as const)('%s', (_what, check) => check());
  });

  it('the same handler calls in both modes (a deterministic program, every call trapped)', () => {
    const counts = [...SECCOMP, ...STOPS].map(([, features]) => {
      const target = join(dir, `c-${user}-${Math.random().toString(36).slice(2)}`);
      const r = runHarness(user, { argv: [fx.syscalls!, target], features, deny: { [MKDIR]: EACCES } });
      expect(r.stdout).toMatch(new RegExp(`^mkdir=-1 errno=${EACCES}\n`));
      return r.result.seccomp as Record<string, number>;
    });
    expect(counts[1]).toEqual(counts[0]);
    expect(counts[2]).toEqual(counts[0]);
  });
});
