import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  PreparedHandler,
  prestartSupervisor,
  type Supervisor,
  type SupervisorStats,
  supervise,
} from '@sb/unotify';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoopBackend, mainLoopBackend } from '../dist/event-loop.js';
import { MainThreadRun } from '../dist/main-thread.js';
import { fixtures, HANDLER, runNotified, tempDir, USERS } from './helpers.js';

/** A Supervisor around MainThreadRun with a given loop (the real one takes the process's). */
function startMainThreadRun(listener: number, loop: LoopBackend): Supervisor {
  const events = new EventEmitter();
  let ready!: () => void;
  let done!: (s: SupervisorStats) => void;
  let failed!: (e: Error) => void;
  const readyP = new Promise<void>((res) => {
    ready = res;
  });
  const doneP = new Promise<SupervisorStats>((res, rej) => {
    done = res;
    failed = rej;
  });
  const run = new MainThreadRun(listener, HANDLER.href, {}, loop, {
    ready,
    event: (e, d) => events.emit(e, d),
    done,
    failed,
  });
  return Object.assign(events, {
    where: 'main-thread' as const,
    ready: readyP,
    done: doneP,
    stop: () => run.stop(),
  });
}

let dir: string;
let fx: Record<string, string>;

beforeAll(() => {
  fx = fixtures();
  dir = tempDir();
  mkdirSync(join(dir, 'denied'));
  writeFileSync(join(dir, 'allowed.txt'), 'hello');
  writeFileSync(join(dir, 'denied', 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'denied', 'secret.txt'), join(dir, 'link-to-secret'));
  writeFileSync(join(dir, 'root-only.txt'), 'root');
  // 0600 root: uid 65534 must not read it even though the supervisor (root) could.
  chmodSync(join(dir, 'root-only.txt'), 0o600);
  copyFileSync('/bin/true', join(dir, 'denied', 'prog'));
  chmodSync(join(dir, 'denied', 'prog'), 0o755);
});

const WHERE = ['thread', 'main-thread'] as const;

describe.each(USERS.flatMap((user) => WHERE.map((where) => [user, where] as const)))(
  'supervisor as %s on its %s',
  (user, where) => {
    const deny = () => ({ deny: [join(dir, 'denied')] });

    it.each([
      ['read an allowed file (emulated open)', () => ['read', join(dir, 'allowed.txt')], 'ok 5'],
      ['read a denied file', () => ['read', join(dir, 'denied', 'secret.txt')], 'err EACCES'],
      ['read a denied file through a symlink', () => ['read', join(dir, 'link-to-secret')], 'err EACCES'],
      ['read a missing file', () => ['read', join(dir, 'nope')], 'err ENOENT'],
      ['relative to the cwd', () => ['cwdread', dir, 'allowed.txt'], 'ok 5'],
      ['relative to a dirfd', () => ['dirfdread', dir, 'allowed.txt'], 'ok 5'],
      ['denied relative to a dirfd', () => ['dirfdread', join(dir, 'denied'), 'secret.txt'], 'err EACCES'],
      ['exec a denied program', () => ['exec', join(dir, 'denied', 'prog')], 'err EACCES'],
    ])('%s', async (_what, args, expected) => {
      const r = await runNotified([fx.opener!, ...args()], { user, where, handlerData: deny() });
      expect(r.stdout.trim()).toBe(expected);
    });

    it('opens with the caller credentials, not the supervisor ones', async () => {
      const r = await runNotified([fx.opener!, 'read', join(dir, 'root-only.txt')], {
        user,
        where,
        handlerData: deny(),
      });
      expect(r.stdout.trim()).toBe(user === 'root' ? 'ok 4' : 'err EACCES');
    });

    it('creates files with the caller umask and owner', async () => {
      const file = join(dir, `umask-${user}-${where}.txt`);
      const r = await runNotified([fx.opener!, 'umask', file], { user, where, handlerData: deny() });
      expect(r.stdout.trim()).toBe('ok 640');
      expect(statSync(file).uid).toBe(user === 'root' ? 0 : 65534);
      expect(r.stats.emulated).toBeGreaterThan(0);
    });

    it('writes through an emulated O_WRONLY|O_CREAT|O_TRUNC open', async () => {
      const file = join(dir, `w-${user}-${where}.txt`);
      writeFileSync(file, 'long old content');
      chmodSync(file, 0o666);
      const r = await runNotified([fx.opener!, 'write', file], { user, where, handlerData: deny() });
      expect(r.stdout.trim()).toBe('ok 1');
      expect(readFileSync(file, 'utf8')).toBe('x');
    });

    it('unlinks with the caller credentials (emulated unlinkat relative to the pinned parent)', async () => {
      const sub = join(dir, `rootdir-${user}-${where}`);
      mkdirSync(sub, { mode: 0o755 });
      writeFileSync(join(sub, 'f'), 'x');
      const r = await runNotified([fx.opener!, 'unlink', join(sub, 'f')], {
        user,
        where,
        handlerData: deny(),
        trapped: ['open', 'openat', 'execve', 'unlink', 'unlinkat'],
      });
      // root's 0755 directory: uid 65534 may not remove entries; the (root) supervisor must not either.
      expect(r.stdout.trim()).toBe(user === 'root' ? 'ok 0' : 'err EACCES');
      expect(existsSync(join(sub, 'f'))).toBe(user !== 'root');
    });

    it('runs a real program (dynamic loader opens, exec continued)', async () => {
      const r = await runNotified(['/bin/cat', join(dir, 'allowed.txt')], {
        user,
        where,
        handlerData: deny(),
      });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('hello');
      expect(r.stats.emulated).toBeGreaterThan(1);
    });
  },
);

describe.each(['main-thread', 'thread'] as const)('signals at a supervisor (%s)', (where) => {
  it('never cost an open its fd: each one gets its file (the fd install runs with signals blocked)', async () => {
    // A handler makes SIGUSR2 interrupt system calls (SA_RESTART: they restart). An ADDFD
    // with FLAG_SEND interrupted after the kernel marked the call answered restarts into
    // EINPROGRESS, and the caller may get 0, not its fd, as the result of its open.
    const noop = () => {};
    process.on('SIGUSR2', noop);
    const storm = spawn('sh', ['-c', `while kill -USR2 ${process.pid} 2>/dev/null; do :; done`], {
      stdio: 'ignore',
    });
    try {
      const r = await runNotified([fx.opener!, 'many', join(dir, 'allowed.txt'), '3000'], {
        where,
        handlerData: {},
        trapped: ['open', 'openat'],
      });
      expect(r.stdout.trim(), `status ${r.code}, stderr ${r.stderr}`).toBe('ok 3000');
      expect(r.stats.emulated).toBeGreaterThanOrEqual(3000);
    } finally {
      storm.kill('SIGKILL');
      await new Promise((res) => storm.once('exit', res));
      process.off('SIGUSR2', noop);
    }
  });
});

describe('a supervisor on the main thread', () => {
  it("keeps the event loop's timers running while it answers a storm of calls", async () => {
    const started = Date.now();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const r = await runNotified([fx.opener!, 'many', join(dir, 'allowed.txt'), '5000'], {
      where: 'main-thread',
      handlerData: { deny: [join(dir, 'denied')] },
      trapped: ['open', 'openat'],
    });
    clearInterval(timer);
    const elapsed = Date.now() - started;
    expect(r.stdout.trim()).toBe('ok 5000');
    expect(r.stats.emulated).toBeGreaterThanOrEqual(5000);
    // Not starved: a turn that kept answering while calls kept coming would give no tick at
    // all. (How soon a due timer runs is the next test's: here the machine's load decides.)
    expect(elapsed).toBeGreaterThan(200);
    expect(ticks).toBeGreaterThanOrEqual(elapsed / 100);
  });

  it("ends each turn when the loop's next timer is due (uv_backend_timeout), not only at its limit", async () => {
    // The real loop's fd, a fake timer 7 ms ahead: while the program sleeps nothing else ends a
    // turn, so there is a turn (one timeout() call) about every 7 ms; at the 50 ms limit, every 50.
    const real = mainLoopBackend()!;
    let turns = 0;
    const backend = {
      fd: real.fd,
      timeout: () => {
        turns++;
        return 7;
      },
    };
    const started = Date.now();
    const r = await runNotified(['/bin/sleep', '0.5'], {
      start: (listener) => startMainThreadRun(listener, backend),
      handlerData: {},
    });
    const elapsed = Date.now() - started;
    expect(r.code).toBe(0);
    expect(elapsed).toBeGreaterThanOrEqual(500);
    expect(turns).toBeGreaterThanOrEqual(500 / 7 / 2);
  });

  it('answers a notification in every turn, even when the loop always has work', async () => {
    // /dev/null is always readable: as if the owner's loop never ran dry.
    const busy = openSync('/dev/null', 'r');
    try {
      const r = await runNotified([fx.opener!, 'many', join(dir, 'allowed.txt'), '200'], {
        start: (listener) => startMainThreadRun(listener, { fd: busy, timeout: () => 50 }),
        handlerData: {},
        trapped: ['open', 'openat'],
      });
      expect(r.stdout.trim()).toBe('ok 200');
    } finally {
      closeSync(busy);
    }
  });

  it('does not spin while the program sleeps (a few turns a second, not thousands)', async () => {
    const real = mainLoopBackend()!;
    let turns = 0;
    const counted = {
      fd: real.fd,
      timeout: () => {
        turns++;
        return real.timeout();
      },
    };
    const r = await runNotified(['/bin/sleep', '0.5'], {
      start: (listener) => startMainThreadRun(listener, counted),
      handlerData: {},
    });
    expect(r.code).toBe(0);
    // One turn per 50 ms at most while nothing happens, plus the launch's and the exit's.
    expect(turns).toBeLessThan(100);
  });

  it("delivers the handler's events", async () => {
    const r = await runNotified([fx.opener!, 'read', join(dir, 'allowed.txt')], {
      where: 'main-thread',
      handlerData: { deny: [join(dir, 'denied')] },
    });
    expect(r.stdout.trim()).toBe('ok 5');
    expect(r.events.opens).toBeGreaterThan(0);
  });

  it('a handler that throws gets its caller killed', async () => {
    const r = await runNotified([fx.opener!, 'read', join(dir, 'allowed.txt')], {
      where: 'main-thread',
      handlerData: { throwOn: 'openat' },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stats.killed).toBeGreaterThan(0);
  });

  it('an fd that does not answer the listener ioctls is refused, and closed', async () => {
    const fd = openSync('/dev/null', 'r');
    const sup = supervise({ listener: fd, handler: HANDLER, handlerData: {}, where: 'main-thread' });
    expect(sup.where).toBe('main-thread');
    await expect(sup.done).rejects.toThrow(/the seccomp listener cannot be used/);
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('takes a handler prepared before its listener existed', async () => {
    const prepared = new PreparedHandler(HANDLER, { deny: [join(dir, 'denied')] });
    await prepared.handler;
    const r = await runNotified([fx.opener!, 'read', join(dir, 'denied', 'secret.txt')], {
      start: (listener) => supervise({ listener, handler: prepared, where: 'main-thread' }),
    });
    expect(r.stdout.trim()).toBe('err EACCES');
    expect(r.events.opens).toBeDefined();
  });

  it('refuses a prepared handler where it cannot run it on this thread, and closes the listener', () => {
    const fd = openSync('/dev/null', 'r');
    const prepared = new PreparedHandler(HANDLER, {});
    expect(() => supervise({ listener: fd, handler: prepared })).toThrow(
      /a PreparedHandler lives on the main thread/,
    );
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('is refused on a worker thread', async () => {
    const index = new URL('../dist/index.js', import.meta.url).href;
    const worker = new Worker(
      `import(${JSON.stringify(index)}).then((u) => {
        const fs = require('node:fs');
        const fd = fs.openSync('/dev/null', 'r');
        try { u.supervise({ listener: fd, handler: 'x', where: 'main-thread' }); return 'supervised'; }
        catch (e) {
          let open = true;
          try { fs.fstatSync(fd); } catch { open = false; }
          return e.message + (open ? ' (the fd was left open)' : '');
        }
      }).then((m) => require('node:worker_threads').parentPort.postMessage(m), (e) => require('node:worker_threads').parentPort.postMessage(String(e)))`,
      { eval: true },
    );
    const message = await new Promise((res) => worker.once('message', res));
    await worker.terminate();
    expect(message).toBe("supervise({ where: 'main-thread' }) was called on a worker thread");
  });
});

describe('a prestarted supervisor thread', () => {
  it('loads the handler before the listener exists, then supervises as usual, once', async () => {
    const thread = prestartSupervisor(HANDLER);
    for (let i = 0; i < 1000 && !thread.loaded; i++) await new Promise((r) => setTimeout(r, 10));
    const r = await runNotified([fx.opener!, 'read', join(dir, 'denied', 'secret.txt')], {
      handlerData: { deny: [join(dir, 'denied')] },
      thread,
    });
    expect(r.stdout.trim()).toBe('err EACCES');
    expect(() => thread.take({})).toThrow(/supervisor thread was already used/);
  });
});

describe('failing closed', () => {
  it('a handler that throws gets its caller killed', async () => {
    const r = await runNotified([fx.opener!, 'read', join(dir, 'allowed.txt')], {
      handlerData: { throwOn: 'openat' },
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stats.killed).toBeGreaterThan(0);
  });

  it('a kill answer to a call from a non-leader thread kills the whole process (pidfd of its group)', async () => {
    const r = await runNotified([fx.opener!, 'threadread', join(dir, 'allowed.txt')], {
      handlerData: { killNonLeader: true },
      trapped: ['open', 'openat'],
    });
    expect(r.signal).toBe('SIGKILL');
    expect(r.stdout).not.toMatch(/alive|ok/);
    expect(r.stats.killed).toBe(1);
    expect(r.stats.stale).toBe(0);
  });

  it('an fd that does not answer the listener ioctls is refused before anything is answered', async () => {
    // /dev/null answers every seccomp ioctl with ENOTTY, as a kernel without them would with EINVAL.
    const sup = supervise({ listener: openSync('/dev/null', 'r'), handler: HANDLER, handlerData: {} });
    await expect(sup.done).rejects.toThrow(
      /the seccomp listener cannot be used: SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing/,
    );
  });

  it('a supervisor thread that dies closes the listener: trapped calls fail with ENOSYS', async () => {
    // exec is continued; the first openat (the dynamic loader's) ends the thread.
    const r = await runNotified([fx.opener!, 'read', join(dir, 'allowed.txt')], {
      handlerData: { exitOn: 'openat' },
      expectFailure: true,
    });
    // The loader cannot open libc: the program never runs its own code.
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Function not implemented|cannot open shared object/);
  });
});

describe('/dev/tty is the caller controlling terminal, not the supervisor one', () => {
  it('with a pty as controlling terminal: the same pty', async () => {
    const r = await runNotified([fx.opener!, 'ctty', '/dev/tty']);
    expect(r.stdout.trim()).toBe('ok same');
  });

  it('without one (new session): ENXIO', async () => {
    const r = await runNotified([fx.opener!, 'nottyread', '/dev/tty']);
    expect(r.stdout.trim()).toBe('err ENXIO');
  });
});
