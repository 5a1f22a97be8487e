import { closeSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { traceFilter } from '../src/index.js';

// The library face runs from dist (its Worker loads dist/worker.js).
const { spawn: spawnDist, prestartTracer } = (await import(
  '../dist/index.js'
)) as unknown as typeof import('../src/index.js');
const HANDLER = new URL('./fixtures/handler.mjs', import.meta.url);

async function collect(stream: NodeJS.ReadableStream | null): Promise<string> {
  let s = '';
  for await (const chunk of stream!) s += chunk;
  return s;
}

describe('Sandbox (tracer on a worker thread)', () => {
  it('README example: pipes, a handler module, events, exit status', async () => {
    const sandbox = spawnDist({
      argv: ['sh', '-c', 'read line; echo "got $line"; mkdir /tmp/sb-denied-$$ || echo denied; exit 3'],
      stdio: ['pipe', 'pipe', 'pipe'],
      filter: traceFilter({ auditArch: 0xc000003e, trace: [83] }),
      handler: HANDLER,
      handlerData: { errno: 13 },
      events: true,
    });
    const execs: unknown[] = [];
    sandbox.on('exec', (e) => execs.push(e));
    // The owner's event loop keeps running while the tracer blocks in waitpid.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    sandbox.stdin!.end('hello\n');
    const [out, err, result] = await Promise.all([
      collect(sandbox.stdout),
      collect(sandbox.stderr),
      sandbox.exited,
    ]);
    clearInterval(timer);
    expect(out).toBe('got hello\ndenied\n');
    expect(err).toMatch(/mkdir: cannot create directory .*Permission denied/);
    expect(result.status).toEqual({ code: 3, signal: null, core: false });
    expect(typeof (await sandbox.pid)).toBe('number');
    expect(ticks).toBeGreaterThan(0);
  });

  it("sandboxes side by side and Node's own children do not steal each other's statuses", async () => {
    const { execFile } = await import('node:child_process');
    const plain = new Promise<number | null>((resolve) => {
      execFile('sh', ['-c', 'sleep 0.3; exit 5'], (err) =>
        resolve(err ? ((err as { code?: number }).code ?? null) : 0),
      );
    });
    const boxes = [1, 2, 3].map((i) =>
      spawnDist({
        argv: ['sh', '-c', `sleep 0.1; sh -c 'exit ${i}'; exit $(( $? + 10 ))`],
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    const results = await Promise.all(boxes.map((b) => b.exited));
    expect(results.map((r) => r.status.code)).toEqual([11, 12, 13]);
    expect(await plain).toBe(5);
  });

  it('works for an ordinary user (uid 65534)', async () => {
    const { spawnSync } = await import('node:child_process');
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(dist)});
      const s = m.spawn({ argv: ['sh', '-c', 'id -u; exit 6'] });
      const r = await s.exited; process.exit(r.status.code);`;
    const r = spawnSync(
      'setpriv',
      [
        '--reuid=65534',
        '--regid=65534',
        '--clear-groups',
        process.execPath,
        '--input-type=module',
        '-e',
        script,
      ],
      { encoding: 'utf8', cwd: '/' },
    );
    expect(r.stdout).toBe('65534\n');
    expect(r.status).toBe(6);
  });

  // V8's options (process-wide already) are refused by new Worker(): they used to make every
  // sandbox of such a process fail to start.
  it.each([
    [['--input-type=module', '--max-semi-space-size=8', '--trace-gc', '--stack-size=900']],
    [['--input-type', 'module', '--max-old-space-size=512', '--no-warnings']],
  ])('starts under Node options a worker refuses: %j', async (flags) => {
    const { spawnSync } = await import('node:child_process');
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(dist)});
      const prestarted = m.spawn({ argv: ['sh', '-c', 'exit 6'], thread: m.prestartTracer() });
      const own = m.spawn({ argv: ['sh', '-c', 'exit 7'] });
      const r = await Promise.all([prestarted.exited, own.exited]);
      process.exit(r[0].status.code * 10 + r[1].status.code);`;
    const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERR_WORKER_INVALID_EXEC_ARGV/);
    expect(r.status).toBe(67);
  });

  it('a prestarted thread preloads and warms the handler, then runs the program once', async () => {
    const thread = prestartTracer([new URL('./fixtures/handler-warm.mjs', import.meta.url)]);
    const sandbox = spawnDist({
      argv: ['sh', '-c', 'mkdir /tmp/sb-denied-$$ 2>&1; exit 4'],
      stdio: ['ignore', 'pipe', 'inherit'],
      filter: traceFilter({ auditArch: 0xc000003e, trace: [83] }),
      handler: new URL('./fixtures/handler-warm.mjs', import.meta.url),
      thread,
    });
    const [out, result] = await Promise.all([collect(sandbox.stdout), sandbox.exited]);
    // EACCES: warm() ran on the thread before createHandler.
    expect(out).toMatch(/Permission denied/);
    expect(result.status.code).toBe(4);
    expect(() => spawnDist({ argv: ['true'], thread })).toThrow(/already used/);
  });

  it('a prestarted thread that ended before use is replaced by a new one', async () => {
    const thread = prestartTracer([new URL('./fixtures/exit-on-load.mjs', import.meta.url)]);
    for (let i = 0; i < 1000 && !thread.ended; i++) await new Promise((r) => setTimeout(r, 20));
    expect(thread.ended).toBe(true);
    const sandbox = spawnDist({
      argv: ['sh', '-c', 'exit 5'],
      stdio: ['ignore', 'ignore', 'inherit'],
      thread,
    });
    expect((await sandbox.exited).status.code).toBe(5);
  });

  it('an unused prestarted thread does not keep the process alive', async () => {
    const { spawnSync } = await import('node:child_process');
    const dist = new URL('../dist/index.js', import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(dist)}); m.prestartTracer(); console.log('started');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('started\n');
  });

  // A process that ended, or a thread terminated, while the thread was still loading
  // koffi aborted the whole process (SIGABRT from node-addon-api), so an unused thread
  // holds the process until its modules are loaded, and is terminated only then.
  it.each(['exit', 'terminate'])(
    'an unused prestarted thread is ended only once loaded (%s)',
    async (mode) => {
      const { spawnSync } = await import('node:child_process');
      const { existsSync, mkdtempSync } = await import('node:fs');
      const mark = `${mkdtempSync('/tmp/sb-prestart-')}/loaded`;
      const script = fileURLToPath(new URL('./fixtures/prestart-then-end.mjs', import.meta.url));
      const r = spawnSync(process.execPath, [script, mode], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, SB_TEST_MARK: mark },
      });
      expect(r.stderr).toBe('');
      expect(r.signal).toBeNull();
      expect(r.status).toBe(0);
      expect(existsSync(mark)).toBe(true);
    },
  );

  it('kill() ends the whole tree, even idle', async () => {
    const sandbox = spawnDist({
      argv: ['sh', '-c', 'sleep 100 & sleep 100; wait'],
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await sandbox.pid;
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    sandbox.kill();
    const r = await sandbox.exited;
    expect(r.status.signal).toBe(9);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('launch errors reject both promises with a LaunchError', async () => {
    const sandbox = spawnDist({ argv: ['/no/such/program'] });
    await expect(sandbox.pid).rejects.toThrow(/execve \/no\/such\/program.*ENOENT/);
    await expect(sandbox.exited).rejects.toMatchObject({
      name: 'LaunchError',
      step: 'execve /no/such/program',
      errno: 2,
    });
  });

  it("the 'fd' event hands over the owner's own copy, still valid when the launch then fails", async () => {
    const sandbox = spawnDist({
      argv: ['/no/such/program'],
      setup: {
        beforeFilter: [
          {
            kind: 'syscall',
            step: 'open',
            name: 'openat',
            args: [BigInt.asUintN(64, -100n), { str: '/etc/hostname' }, 0n],
            save: 'f',
          },
          { kind: 'take-fd', step: 'take', result: 'f', as: 'file' },
        ],
      },
    });
    const got: [string, number][] = [];
    sandbox.on('fd', (name: string, fd: number) => got.push([name, fd]));
    await expect(sandbox.exited).rejects.toMatchObject({ name: 'LaunchError' });
    expect(got.map(([n]) => n)).toEqual(['file']);
    const fd = got[0]![1];
    // The launcher closed its own number when the launch failed; this copy is untouched.
    expect(readlinkSync(`/proc/self/fd/${fd}`)).toBe('/etc/hostname');
    closeSync(fd);
  });
});
