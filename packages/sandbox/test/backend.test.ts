import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePolicy } from '@sb/policy';
import { describe, expect, it } from 'vitest';
import {
  type BackendChoice,
  BackendError,
  type BackendRequest,
  planBackend,
  probeLandlock,
} from '../src/index.js';
import { run } from './helpers.js';

const kernel: BackendChoice = {
  backend: 'ptrace',
  reason: 'ptrace works',
  candidates: [{ name: 'ptrace', usable: true, why: '' }],
};
const noKernel: BackendChoice = { backend: null, reason: 'PTRACE_SEIZE fails', candidates: [] };
const ll = { available: true, abi: 7, detail: 'Landlock ABI 7' };
const noLl = {
  available: false,
  abi: null,
  errno: 'EOPNOTSUPP',
  detail: 'Landlock is built in but not enabled at boot',
};

const expressible = definePolicy({
  sandbox: { write: 'deny' },
  rules: [{ action: 'allow', category: 'write', pattern: '/tmp/***' }],
});
const statPolicy = definePolicy({ sandbox: { stat: 'deny' } });

describe('planBackend', () => {
  it.each([
    // request, policy, landlock, -> name | error, trapOnly?
    ['auto', expressible, ll, 'ptrace+landlock', null],
    ['auto', expressible, noLl, 'ptrace', null],
    ['auto', statPolicy, ll, 'ptrace+landlock', null],
    ['ptrace', expressible, ll, 'ptrace', null],
    ['ptrace+landlock', statPolicy, ll, 'ptrace+landlock', null],
    ['ptrace+landlock', expressible, noLl, /not enabled at boot/, null],
    ['landlock', expressible, ll, 'landlock', 'chmod'],
    ['landlock', expressible, noLl, /--backend landlock: Landlock is built in but not enabled/, null],
    ['landlock', statPolicy, ll, /cannot enforce this policy.*stat mode deny/, null],
  ] as const)('%s %#', (request, policy, landlock, want, trap) => {
    const go = () => planBackend(request as BackendRequest, policy, kernel, landlock);
    if (typeof want !== 'string') {
      expect(go).toThrow(BackendError);
      expect(go).toThrow(want);
      return;
    }
    const plan = go();
    expect(plan.name).toBe(want);
    expect(plan.supervisor).toBe('ptrace');
    expect(plan.landlock === null).toBe(!want.includes('landlock'));
    // Landlock steps exist exactly when Landlock restricts something.
    if (plan.landlock && plan.landlock.ruleset.handledFs !== 0n)
      expect(plan.beforeFilter.length).toBeGreaterThan(0);
    if (trap) expect([...(plan.trapOnly ?? [])]).toContain(trap);
    else expect(plan.trapOnly).toBeNull();
    // Alone, nothing that needs a full path checker may be left over.
    if (want === 'landlock') expect(plan.landlock?.residual).not.toBeNull();
  });

  it('no ptrace engine: every backend fails closed', () => {
    for (const r of ['auto', 'ptrace', 'landlock', 'ptrace+landlock'] as const)
      expect(() => planBackend(r, expressible, noKernel, ll)).toThrow(/no usable backend/);
  });

  it('auto takes the user-notification supervisor where it is usable and keeps the whole policy', () => {
    const k = { ...kernel, candidates: [...kernel.candidates, { name: 'unotify', usable: true, why: '' }] };
    const locked = definePolicy({
      sandbox: { write: 'deny' },
      rules: [{ action: 'allow', category: 'write', pattern: '/tmp/***' }],
      options: { magicLock: 'on' },
    });
    expect(planBackend('auto', locked, k, ll).name).toBe('unotify+landlock');
    // Magic commands with the lock off, the successful-bind allowance: only ptrace keeps them.
    expect(planBackend('auto', expressible, k, ll).name).toBe('ptrace+landlock');
    const bind = definePolicy({
      sandbox: { 'net/connect': 'deny' },
      options: { magicLock: 'on', allow: { successfulBind: true } },
    });
    expect(planBackend('auto', bind, k, ll).name).toBe('ptrace+landlock');
    // Internet binds are made by the supervisor, which records them: only a unix bind the rules
    // do not already let every connect reach keeps ptrace.
    const unixOpen = definePolicy({
      sandbox: { 'net/connect': 'deny' },
      rules: [
        { action: 'allow', category: 'net/connect', pattern: 'unix:/***' },
        { action: 'allow', category: 'net/connect', pattern: 'unix-abstract:***' },
        { action: 'deny', category: 'net/connect', pattern: 'inet:10.0.0.0/8' },
      ],
      options: { magicLock: 'on', allow: { successfulBind: true } },
    });
    expect(planBackend('auto', unixOpen, k, ll).name).toBe('unotify+landlock');
    const unixDenied = definePolicy({
      sandbox: { 'net/connect': 'allow' },
      rules: [{ action: 'deny', category: 'net/connect', pattern: 'unix:/run/***' }],
      options: { magicLock: 'on', allow: { successfulBind: true } },
    });
    expect(planBackend('auto', unixDenied, k, ll).name).toBe('ptrace+landlock');
    expect(planBackend('auto', unixDenied, k, ll).reason).toMatch(
      /successful-bind allowance .* for unix sockets/,
    );
  });

  it('never runs the unotify supervisor over a syscall-stop tracer (its process tracking needs seccomp stops)', () => {
    const stops: BackendChoice = {
      backend: 'ptrace',
      reason: 'syscall-stop tracing (no seccomp filter mode): forced by SB_FORCE_SYSCALL_STOPS=1',
      syscallStops: true,
      candidates: [{ name: 'ptrace', usable: true, why: '' }],
    };
    expect(() => planBackend('unotify', expressible, stops, ll)).toThrow(
      /--backend unotify needs seccomp stops for its tracer: syscall-stop tracing/,
    );
    expect(() => planBackend('unotify+landlock', expressible, stops, ll)).toThrow(BackendError);
  });
});

describe.skipIf(!probeLandlock().available)(
  'Landlock alone keeps the supervisor out of the path calls',
  () => {
    it('50 writes: one stop each under ptrace+landlock, none under landlock; same outcome', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-backend-'));
      try {
        const policy = [{ profile: 'default' }, { magic: `allowlist/write+${dir}/***` }] as const;
        const script = `i=0; while [ $i -lt 50 ]; do : > ${dir}/f; i=$((i+1)); done; true > /etc/sb-backend-test || echo denied`;
        const under = async (backend: 'landlock' | 'ptrace+landlock') =>
          run('sh', ['-c', script], { policy: [...policy], backend, cwd: dir });
        const alone = await under('landlock');
        const both = await under('ptrace+landlock');
        for (const r of [alone, both]) {
          expect(r.code).toBe(0);
          expect(r.stdout.toString()).toBe('denied\n');
        }
        expect(both.stops).toBeGreaterThanOrEqual(51);
        expect(alone.stops).toBeLessThan(10);
        // Only the supervisor reports; Landlock's denial is silent.
        expect(both.violations.map((v) => v.subject)).toEqual(['/etc/sb-backend-test']);
        expect(alone.violations).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
