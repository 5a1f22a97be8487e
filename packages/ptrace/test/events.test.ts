import { describe, expect, it } from 'vitest';
import { fixtures, runHarness, runNative, USERS } from './helpers.js';

// Real programs under the tracer, each as root and as nobody; a filter that traps
// every syscall unless said otherwise, so the seccomp path is exercised throughout.
describe.each(USERS)('events as %s', (user) => {
  const fx = fixtures();

  it('shell pipelines give the same output and status as natively', () => {
    const script = 'seq 1 20000 | grep 7 | sort -r | head -n 5; yes | head -n 2; echo done >&2';
    const native = runNative(user, ['sh', '-c', script]);
    const traced = runHarness(user, { argv: ['sh', '-c', script] });
    expect(traced.result.status).toEqual({ code: 0, signal: null, core: false });
    expect(traced.stdout).toBe(native.stdout);
    // `yes` must die of SIGPIPE silently: Node's ignored SIGPIPE is reset in the stub.
    expect(traced.stderr.split('\n').filter((l) => !l.startsWith('@@'))).toEqual(['done', '']);
    expect(traced.result.spawns.fork + traced.result.spawns.clone).toBeGreaterThanOrEqual(6);
  });

  it('16 threads doing syscalls are all traced', () => {
    const r = runHarness(user, { argv: [fx.threads!, '200'] });
    expect(r.stdout).toBe('threads=16 ok=6400\n');
    expect(r.code).toBe(0);
    expect(r.result.spawns.clone).toBe(16);
    // 200 getppid per thread went through seccomp stops.
    expect(r.result.seccomp['x86_64:110']).toBe(16 * 200);
    expect(r.result.exits).toBe(17);
  });

  it('a program forking 1000 children sees every exit status', () => {
    const r = runHarness(user, { argv: [fx.forker!, '1000'], filter: [61] });
    expect(r.stdout).toBe('forked=1000 bad=0\n');
    expect(r.code).toBe(0);
    expect(r.result.spawns.fork + r.result.spawns.clone + r.result.spawns.unknown).toBe(1000);
    expect(r.result.seccomp['x86_64:61']).toBe(1000); // wait4
  });

  it('vfork children that exec and that _exit', () => {
    const r = runHarness(user, { argv: [fx.vfork!] });
    expect(r.stdout).toBe('vfork-exec\nexec-child=0 exit-child=5\n');
    expect(r.result.spawns.vfork).toBe(2);
    expect(r.result.execs.length).toBe(1);
  });

  it('exec from a non-leader thread takes the leader id', () => {
    const r = runHarness(user, { argv: [fx.thread_exec!] });
    expect(r.stdout).toBe('from-thread\n');
    expect(r.code).toBe(0);
    expect(r.result.execs).toHaveLength(1);
    const [ev] = r.result.execs;
    expect(ev.tid).toBe(r.result.pid);
    expect(ev.oldTid).not.toBe(ev.tid);
  });

  it('job control (SIGSTOP, SIGTSTP, SIGCONT) behaves as without the tracer', () => {
    const native = runNative(user, [fx.jobctl!]);
    const traced = runHarness(user, { argv: [fx.jobctl!] });
    const expected =
      'stopped by 19\nfrozen=yes\nmoving=yes\nstopped by 20\nfrozen=yes\nmoving=yes\nchild-signal=15\n';
    expect(native.stdout).toBe(expected);
    expect(traced.stdout).toBe(expected);
    expect(traced.code).toBe(0);
  });

  it.each([
    ['exit 42', 42, { code: 42, signal: null, core: false }],
    ['kill -TERM $$', 143, { code: null, signal: 15, core: false }],
    ['kill -KILL $$', 137, { code: null, signal: 9, core: false }],
  ])('status of `%s` passes through as %i', (script, shell, status) => {
    const r = runHarness(user, { argv: ['sh', '-c', script] });
    expect(r.result.status).toEqual(status);
    expect(r.code).toBe(shell);
  });

  it('orphans and unreaped zombies are followed to their end', () => {
    // The root exits at once; its orphan lives on (reparented) and is still traced.
    const orphan = runHarness(user, { argv: ['sh', '-c', '(sleep 0.3; echo orphan) & exit 4'] });
    expect(orphan.stdout).toBe('orphan\n');
    expect(orphan.result.status).toEqual({ code: 4, signal: null, core: false });
    // exec'd sleep never reaps its background child: a zombie until its parent ends.
    const zombie = runHarness(user, { argv: ['sh', '-c', 'sleep 0.1 & exec sleep 0.4'] });
    expect(zombie.result.status).toEqual({ code: 0, signal: null, core: false });
    expect(zombie.result.exits).toBe(2);
  });

  it('programs run without any filter: process events only', () => {
    const r = runHarness(user, { argv: ['sh', '-c', 'echo a | cat'], filter: 'none' });
    expect(r.stdout).toBe('a\n');
    // Only the engine's own filter is there: it traps clone (and clone3) alone.
    expect(Object.keys(r.result.seccomp)).toEqual(['x86_64:56']);
    expect(r.result.spawns.fork + r.result.spawns.clone).toBeGreaterThanOrEqual(2);
  });
});
