/**
 * Load and faults, scaled down for CI (SB_LOAD=1: the issue's full size, 200 sandboxes x 50
 * threads, each thread making path syscalls for 60 s): many concurrent sandboxes give the same allowed
 * results as the unsandboxed run and deny every denied call; tracees that exit in the middle of
 * inspection; the supervisor killed with SIGKILL (nothing keeps running); the supervisor out of
 * file descriptors (fail closed: nothing denied gets through, nothing hangs).
 */
import { execFile, execFileSync, spawn as spawnChild } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Attack,
  type Built,
  buildCorpus,
  type HarnessOutput,
  makeWorld,
  policyFor,
  pool,
  processesIn,
  runSandboxed,
  type World,
} from '../src/index.js';

const FULL = process.env.SB_LOAD === '1';
const SANDBOXES = FULL ? 200 : 4;
const THREADS = FULL ? 50 : 6;
// CI counts rounds (the same work every run); the full size runs for a time, as the issue asks.
const ROUNDS = FULL ? 0 : 25;
const SECONDS = FULL ? Number(process.env.SB_LOAD_SECONDS ?? 60) : 0;
const LOAD_ARGS = [String(THREADS), String(ROUNDS), String(SECONDS)];
// All at once, as the issue asks (SB_LOAD_CONCURRENCY lowers it on a small machine).
const CONCURRENT = Number(process.env.SB_LOAD_CONCURRENCY ?? SANDBOXES);
const isRoot = process.getuid?.() === 0;
const HARNESS = fileURLToPath(new URL('../dist/harness-main.js', import.meta.url));
const LOAD: Attack = { name: 'load', category: 'filesystem', expect: {} };

let built: Built;
beforeAll(() => {
  built = buildCorpus();
});

const helper = (n: string) => built.helpers.get(n)!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function inWorld<T>(f: (w: World) => Promise<T>): Promise<T> {
  const w = await makeWorld(LOAD, 'root', built);
  try {
    return await f(w);
  } finally {
    await w.close();
  }
}

describe.runIf(isRoot)('load and faults', () => {
  // Each complete round makes every call once, so with nothing lost each total equals the rounds.
  const rounds = (out: string) => Number(/^ROUNDS (\d+)$/m.exec(out)?.[1] ?? Number.NaN);
  const allowedLine = (n: number) => `ALLOWED stat=${n} open=${n} mkdir=${n}`;

  it(
    `${SANDBOXES} concurrent sandboxes x ${THREADS} threads: same allowed results as unsandboxed, every denial held, nothing left`,
    async () => {
      const baseline = await inWorld(async (w) =>
        // Unsandboxed, every round reads (and prints) the secret: room for a minute of that.
        execFileSync(helper('pathload'), LOAD_ARGS, {
          cwd: w.ctx.dir,
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        }),
      );
      const base = rounds(baseline);
      expect(base).toBeGreaterThan(0);
      if (!FULL) expect(base).toBe(THREADS * ROUNDS);
      expect(/^ALLOWED .*$/m.exec(baseline)?.[0], baseline).toBe(allowedLine(base));
      const outs = await pool(Array.from({ length: SANDBOXES }), CONCURRENT, () =>
        inWorld(async (w) => {
          const r = await runSandboxed({
            program: helper('pathload'),
            cwd: w.ctx.dir,
            env: w.env,
            policy: policyFor(LOAD, w.ctx),
            backend: 'ptrace',
            timeoutMs: FULL ? 1_800_000 : 120_000,
            args: LOAD_ARGS,
          });
          return { r, evidence: w.evidence(`${r.stdout}${r.stderr}`) };
        }),
      );
      const done: number[] = [];
      for (const { r, evidence } of outs) {
        const ctx = `${r.error ?? ''}\n${r.stdout}\n${r.stderr}`;
        expect(r.code, ctx).toBe(0);
        const n = rounds(r.stdout);
        expect(n, ctx).toBeGreaterThan(0);
        if (!FULL) expect(n, ctx).toBe(THREADS * ROUNDS);
        expect(/^ALLOWED .*$/m.exec(r.stdout)?.[0], ctx).toBe(allowedLine(n));
        expect(/^DENIED .*$/m.exec(r.stdout)?.[0], ctx).toBe(`DENIED read=${n} write=${n}`);
        expect(r.stdout, ctx).toMatch(/^LEAKED 0$/m);
        expect(evidence, ctx).toEqual([]);
        // Every denied call was reported: none lost.
        expect(r.violations, ctx).toBe(2 * n);
        done.push(n);
      }
      if (FULL) {
        const calls = done.reduce((a, b) => a + b, 0) * 6;
        console.log(
          `load: ${SANDBOXES} sandboxes x ${THREADS} threads x ${SECONDS} s: ${done.reduce((a, b) => a + b, 0)} rounds (${calls} trapped calls), per sandbox ${Math.min(...done)}..${Math.max(...done)}; unsandboxed ${base}`,
        );
      }
    },
    FULL ? 2_400_000 : 900_000,
  );

  it('tracees exiting in the middle of inspection: no hang, no escape, nothing left', async () => {
    await inWorld(async (w) => {
      const r = await runSandboxed({
        program: helper('exitstorm'),
        cwd: w.ctx.dir,
        env: w.env,
        policy: policyFor(LOAD, w.ctx),
        backend: 'ptrace',
        timeoutMs: 120_000,
        args: [FULL ? '2000' : '40', '8'],
      });
      const ctx = `${r.error ?? ''}\n${r.stdout}\n${r.stderr}`;
      expect(r.aborted, ctx).toBe(false);
      expect(r.stdout, ctx).toMatch(/^DONE \d+$/m);
      expect(w.evidence(r.stdout), ctx).toEqual([]);
    });
  }, 300_000);

  it('the supervisor killed with SIGKILL: every sandboxed process dies with it', async () => {
    await inWorld(async (w) => {
      const tmp = mkdtempSync(join(tmpdir(), 'sb-load-kill-'));
      const input = join(tmp, 'in.json');
      writeFileSync(
        input,
        JSON.stringify({
          program: helper('orphans'),
          args: ['6'],
          cwd: w.ctx.dir,
          env: w.env,
          policy: policyFor(LOAD, w.ctx),
          backend: 'ptrace',
          timeoutMs: 120_000,
          resultFile: join(tmp, 'out.json'),
        }),
      );
      const sup = spawnChild(process.execPath, [HARNESS, input], { stdio: 'ignore' });
      // Wait until the sandbox's 12 processes (6 session leaders + 6 writers) run.
      for (let i = 0; i < 200 && processesIn(w.ctx.dir).length < 13; i++) await sleep(100);
      const before = processesIn(w.ctx.dir).length;
      sup.kill('SIGKILL');
      await new Promise((r) => sup.once('exit', r));
      let left = processesIn(w.ctx.dir);
      for (let i = 0; i < 30 && left.length; i++) {
        await sleep(100);
        left = processesIn(w.ctx.dir);
      }
      rmSync(tmp, { recursive: true, force: true });
      expect(before).toBeGreaterThanOrEqual(13);
      expect(left, `still running: ${left.join(' ')}`).toEqual([]);
      expect(existsSync(join(w.ctx.dir, 'protected', 'x'))).toBe(false);
    });
  }, 120_000);

  // The supervisor process (modules loaded) fills its descriptor table until only n are free, then
  // runs the sandbox: it runs out somewhere in the launch or the run (pipes, worker, pidfds,
  // /proc reads) or not at all.
  it('the supervisor short of file descriptors fails closed (no denied call allowed, no hang)', async () => {
    const outcomes: string[] = [];
    for (const leave of [0, 1, 2, 3, 4, 6, 8, 12, 16, 32]) {
      await inWorld(async (w) => {
        const tmp = mkdtempSync(join(tmpdir(), 'sb-load-nofile-'));
        const input = join(tmp, 'in.json');
        const resultFile = join(tmp, 'out.json');
        writeFileSync(
          input,
          JSON.stringify({
            program: helper('pathload'),
            args: ['3', '20', '0'],
            cwd: w.ctx.dir,
            env: w.env,
            policy: policyFor(LOAD, w.ctx),
            backend: 'ptrace',
            timeoutMs: 60_000,
            resultFile,
            leaveFds: leave,
          }),
        );
        const { err, stderr } = await new Promise<{ err: Error | null; stderr: string }>((res) =>
          execFile(
            'prlimit',
            ['--nofile=256:256', process.execPath, HARNESS, input],
            { timeout: 90_000, encoding: 'utf8' },
            (e, _o, se) => res({ err: e, stderr: se }),
          ),
        );
        const out: HarnessOutput | null = existsSync(resultFile)
          ? (JSON.parse(readFileSync(resultFile, 'utf8')) as HarnessOutput)
          : null;
        rmSync(tmp, { recursive: true, force: true });
        const ctx = `${leave} fds left: ${err?.message ?? ''}\n${stderr}\n${JSON.stringify(out)}`;
        // Never a hang, never an escape; a finished run held every denial.
        expect((err as { killed?: boolean } | null)?.killed ?? false, ctx).toBe(false);
        expect(w.evidence(`${out?.stdout ?? ''}${out?.stderr ?? ''}`), ctx).toEqual([]);
        const finished = out !== null && out.code === 0 && /^DENIED/m.test(out.stdout);
        if (finished) expect(out!.stdout, ctx).toMatch(/^DENIED read=60 write=60$/m);
        outcomes.push(
          `${leave}: ${finished ? 'ran' : out ? `failed (${(out.error ?? `exit ${out.code}`).slice(0, 80)})` : 'node did not start'}`,
        );
      });
    }
    console.log(`free descriptors in the supervisor: ${outcomes.join('; ')}`);
    // Not vacuous: with enough descriptors the same run completes.
    expect(
      outcomes.some((o) => o.endsWith(': ran')),
      outcomes.join('; '),
    ).toBe(true);
  }, 300_000);
});
