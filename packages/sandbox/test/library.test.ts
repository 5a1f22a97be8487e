/**
 * The library API: streams, events, AbortSignal, several sandboxes at once
 * without blocking the event loop, policy assembly and its errors, features().
 */
import { describe, expect, it } from 'vitest';
import { buildPolicy, features, SandboxPolicyError } from '../src/index.js';
import { run, SandboxExecDenied, spawn, workDir } from './helpers.js';

describe('spawn / run', () => {
  it('pipes stdin to the program and its stdout back', async () => {
    const r = await run('sh', ['-c', 'read x; echo "got $x"'], { input: 'hello\n', cwd: workDir(false) });
    expect(r.stdout.toString()).toBe('got hello\n');
    expect(r.code).toBe(0);
  });

  it('runs several sandboxes at once and never blocks the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    try {
      const dir = workDir(false);
      const results = await Promise.all(
        [0, 1, 2].map((i) => run('sh', ['-c', `sleep 0.5; echo ${i}; touch /etc/sb-lib-${i}`], { cwd: dir })),
      );
      const elapsed = Date.now() - started;
      results.forEach((r, i) => {
        expect(r.stdout.toString()).toBe(`${i}\n`);
        expect(r.violations.map((v) => v.subject)).toEqual([`/etc/sb-lib-${i}`]);
      });
      // The loop kept running while three tracers waited for their programs.
      expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
    } finally {
      clearInterval(timer);
    }
  });

  it('emits each violation as an event while the program runs', async () => {
    const p = spawn('sh', ['-c', 'touch /etc/sb-lib-ev; read x'], { cwd: workDir(false) });
    const v = await new Promise((resolve) => p.once('violation', resolve));
    expect(v).toMatchObject({
      syscall: 'openat',
      subject: '/etc/sb-lib-ev',
      decision: 'deny',
      errno: 'EACCES',
    });
    p.stdin?.end('\n');
    expect((await p.exited).code).toBe(0);
  });

  it('an AbortSignal kills every process of the sandbox', async () => {
    const ac = new AbortController();
    const p = spawn('sh', ['-c', 'sleep 30 & sleep 30; echo never'], {
      signal: ac.signal,
      cwd: workDir(false),
    });
    await p.pid;
    setTimeout(() => ac.abort(), 200);
    const r = await p.exited;
    expect(r.aborted).toBe(true);
    expect(r.code).toBe(137);
  });

  it('kill(signal) sends a signal to the program', async () => {
    const p = spawn('sh', ['-c', 'trap "echo TERM; exit 3" TERM; while :; do sleep 0.05; done'], {
      cwd: workDir(false),
    });
    const out: Buffer[] = [];
    p.stdout?.on('data', (c: Buffer) => out.push(c));
    await p.pid;
    await new Promise((r) => setTimeout(r, 200));
    p.kill('SIGTERM');
    const r = await p.exited;
    expect(r.code).toBe(3);
    expect(Buffer.concat(out).toString()).toBe('TERM\n');
  });

  it('throws SandboxExecDenied when the exec category denies the program itself', () => {
    expect(() => spawn('true', [], { policy: [{ magic: 'core/sandbox/exec:deny' }] })).toThrow(
      SandboxExecDenied,
    );
    try {
      spawn('true', [], { policy: [{ magic: 'core/sandbox/exec:deny' }] });
    } catch (e) {
      expect((e as InstanceType<typeof SandboxExecDenied>).violation).toMatchObject({
        syscall: 'execve',
        subject: '/usr/bin/true',
        decision: 'deny',
        reason: 'default',
      });
    }
  });

  it('rejects with the launch error for a missing program', async () => {
    const p = spawn('sb-no-such-program', []);
    await expect(p.exited).rejects.toThrow(/ENOENT/);
  });
});

describe('buildPolicy', () => {
  it('applies sources in order: a later magic command overrides a profile', () => {
    const { policy } = buildPolicy([{ profile: 'readonly' }, { magic: 'core/sandbox/write:off' }]);
    expect(policy.sandbox.write).toBe('off');
    const again = buildPolicy([{ magic: 'core/sandbox/write:off' }, { profile: 'readonly' }]).policy;
    expect(again.sandbox.write).toBe('deny');
  });

  it.each([
    [[{ profile: 'nope' }], /unknown profile 'nope' \(known: default, paludis/],
    [
      [{ magic: 'core/sandbox/wrte:deny' }],
      /unknown magic key 'core\/sandbox\/wrte' \(did you mean 'core\/sandbox\/write'\?\)/,
    ],
    [[{ file: '/nonexistent/p.yaml' }], /\/nonexistent\/p\.yaml: cannot read the policy file/],
    [[{ file: '/nonexistent/p.syd-1' }], /\/nonexistent\/p\.syd-1: cannot read the policy file/],
  ] as const)('%j -> a clear error', (sources, message) => {
    expect(() => buildPolicy(sources)).toThrow(SandboxPolicyError);
    expect(() => buildPolicy(sources)).toThrow(message);
  });

  it('gives the default profile for no source, with cwd writable and the magic path locked', () => {
    const { policy } = buildPolicy([], '/src/proj');
    expect(policy.sandbox).toMatchObject({ write: 'deny', read: 'off', 'net/connect': 'deny' });
    expect(policy.rules.some((r) => r.pattern === '/src/proj/***' && r.action === 'allow')).toBe(true);
    expect(policy.options.magicLock).toBe('on');
  });
});

describe('features()', () => {
  it('probes every group and picks the ptrace backend here', () => {
    const f = features();
    expect(f.seccomp.filterMode).toBe(true);
    expect(f.ptrace.seize).toBe(true);
    // Landlock (when the kernel has it) goes beneath ptrace as defence in depth.
    // The default profile: user notification where usable (race-free), Landlock beneath it.
    const sup = f.backend.candidates.find((c) => c.name === 'unotify')?.usable ? 'unotify' : 'ptrace';
    expect(f.backend.backend).toBe(f.landlock.available ? `${sup}+landlock` : sup);
    expect(Object.keys(f.namespaces).sort()).toEqual([
      'cgroup',
      'ipc',
      'mount',
      'net',
      'pid',
      'time',
      'user',
      'uts',
    ]);
    // CI runs as root on 6.x: every namespace can be created.
    if (process.geteuid?.() === 0)
      for (const n of ['user', 'mount', 'pid', 'net']) expect(f.namespaces[n as 'user'].available).toBe(true);
    expect(typeof f.landlock.available).toBe('boolean');
    expect(f.misc).toHaveProperty('pidfd_open');
    expect(f.misc).toHaveProperty('clone3');
  });
});
