/**
 * Runs attacks: each program under sb on a backend, as root or uid 65534, in the test process
 * or in a separate supervisor process; then judges the outcome from what the program says AND
 * what the host sees (the secret in the output, files in protected/, the denied program's
 * marker, hits on denied services, processes left running).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { features, type PolicySource } from '@sb/sandbox';
import type { Built } from './build.js';
import {
  type Attack,
  basePolicy,
  type Expectation,
  expectationFor,
  fileSystemOnly,
  landlockPolicy,
  type User,
} from './corpus.js';
import { type HarnessInput, type HarnessOutput, runSandboxed } from './harness.js';
import { makeWorld, processesIn } from './layout.js';

function kill9(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

const HARNESS = fileURLToPath(new URL('./harness-main.js', import.meta.url));

export type Verdict = 'blocked' | 'documented' | 'ESCAPED' | 'error' | 'n/a';

export interface AttackResult {
  readonly attack: string;
  readonly backend: string;
  readonly user: User;
  /** What happened: the program got out, or not. */
  readonly escaped: boolean;
  /**
   * Against the table: blocked; documented (escaped, and SECURITY.md lists it); ESCAPED (not
   * listed, or a known bug); error (hung until the timeout); n/a (the backend refused the policy
   * or failed to launch: nothing ran).
   */
  readonly verdict: Verdict;
  readonly expected: Expectation;
  /** The program's own RESULT line. */
  readonly says: string;
  readonly evidence: readonly string[];
  /** Races: hits and tries. */
  readonly rate?: readonly [number, number];
  readonly ms: number;
  readonly output: string;
}

/** Backends this kernel can run, from @sb/sandbox's features() (new backends are picked up). */
export function usableBackends(): string[] {
  const only = process.env.SB_ATTACK_BACKENDS?.split(',').filter(Boolean);
  const usable = features()
    .backend.candidates.filter((c) => c.usable)
    .map((c) => c.name);
  return only ? usable.filter((b) => only.includes(b)) : usable;
}

/** The policy of one run: basePolicy plus the attack's additions (landlockPolicy for file techniques on 'landlock'). */
export function policyFor(
  a: Attack,
  ctx: Parameters<NonNullable<Attack['policy']>>[0],
  backend = 'ptrace',
): PolicySource[] {
  if (backend === 'landlock' && fileSystemOnly(a)) return landlockPolicy(ctx).map((m) => ({ magic: m }));
  const extra = a.policy?.(ctx) ?? [];
  const magic = a.replacePolicy ? extra : [...basePolicy(ctx), ...extra];
  return [
    ...(a.replacePolicy ? [] : [{ profile: 'default' } as PolicySource]),
    ...magic.map((m) => ({ magic: m })),
  ];
}

function viaHarness(
  input: Omit<HarnessInput, 'resultFile'>,
  user: User,
  pty: string | null,
): Promise<HarnessOutput & { pty?: string }> {
  const tmp = mkdtempSync(join(tmpdir(), 'sb-attack-harness-'));
  chmodSync(tmp, 0o777);
  const resultFile = join(tmp, 'result.json');
  const inputFile = join(tmp, 'input.json');
  writeFileSync(inputFile, JSON.stringify({ ...input, resultFile }), { mode: 0o644 });
  const node = [process.execPath, HARNESS, inputFile];
  const cmd = [...(pty ? [pty] : []), ...node];
  const argv =
    user === 'nobody' ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...cmd] : cmd;
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { encoding: 'latin1', timeout: input.timeoutMs + 15_000, cwd: input.cwd, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        let out: HarnessOutput;
        try {
          out = JSON.parse(readFileSync(resultFile, 'utf8')) as HarnessOutput;
        } catch {
          // The supervisor process itself died (e.g. the attack killed it): no result file.
          out = {
            code: -1,
            stdout: pty ? '' : stdout,
            stderr: `${stderr}${err ? `\nharness: ${err.message}` : ''}`,
            violations: 0,
            aborted: false,
            error: 'the supervisor process ended without a result',
          };
        }
        rmSync(tmp, { recursive: true, force: true });
        resolve(pty ? { ...out, stdout: `${out.stdout}\n${stdout}`, pty: stdout } : out);
      },
    );
  });
}

export interface RunAttackOptions {
  readonly built: Built;
  readonly backend: string;
  readonly user: User;
  readonly timeoutMs?: number;
}

export async function runAttack(a: Attack, o: RunAttackOptions): Promise<AttackResult> {
  const started = Date.now();
  const world = await makeWorld(a, o.user, o.built);
  try {
    const input = {
      program: o.built.programs.get(a.name)!,
      cwd: world.ctx.dir,
      env: world.env,
      policy: policyFor(a, world.ctx, o.backend),
      backend: o.backend,
      timeoutMs: o.timeoutMs ?? 45_000,
      ...(a.mode === 'pty' ? { ttyStdin: true } : {}),
    };
    if (!input.program) throw new Error(`no program built for ${a.name}`);
    const mode = a.mode ?? 'in-process';
    const running =
      o.user === 'root' && mode === 'in-process'
        ? runSandboxed(input)
        : viaHarness(input, o.user, mode === 'pty' ? o.built.helpers.get('ptyrun')! : null);
    // A backend that hangs (a launch that never completes, a lost stop) must not hang the corpus:
    // past the sandbox's own timeout, give up, kill what runs in the work directory, report an error.
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<HarnessOutput>((res) => {
      timer = setTimeout(
        () =>
          res({
            code: -1,
            stdout: '',
            stderr: '',
            violations: 0,
            aborted: true,
            error: 'hung: no exit after the timeout',
          }),
        input.timeoutMs + 20_000,
      );
    });
    const r = await Promise.race([running, hung]);
    clearTimeout(timer);
    if (r.error?.startsWith('hung')) for (const p of processesIn(world.ctx.dir)) kill9(p);
    // Give processes killed with the supervisor a moment to be gone before looking for leftovers.
    if (mode === 'isolated') await new Promise((res) => setTimeout(res, 300));
    const output = `${r.stdout}\n${r.stderr}`;
    const says = /^RESULT (.*)$/m.exec(r.stdout)?.[1] ?? '';
    const evidence = world.evidence(output);
    if (says.startsWith('ESCAPED')) evidence.unshift(`the program says: ${says}`);
    const injected = /^PTY-INPUT ([0-9a-f]*)$/m.exec(r.stdout)?.[1];
    if (injected)
      evidence.push(
        `the terminal's input queue holds ${JSON.stringify(Buffer.from(injected, 'hex').toString('latin1'))}`,
      );
    const m = /^RATE (\d+) (\d+)$/m.exec(r.stdout);
    const escaped = evidence.length > 0;
    const expected = expectationFor(a, o.backend);
    // A program that hung until the timeout gave no verdict (a denial of service at least).
    // Nothing ran: the backend refused the policy, the launch failed, or the program could not
    // be executed at all (126/127 without a word from it).
    const refused =
      !says &&
      (/\bBackendError\b|\bSandboxExecDenied\b|LaunchError: launch failed/.test(r.error ?? '') ||
        (!r.error && (r.code === 126 || r.code === 127) && !evidence.length));
    const verdict: Verdict = escaped
      ? expected.outcome === 'documented'
        ? 'documented'
        : 'ESCAPED'
      : refused
        ? 'n/a'
        : r.aborted
          ? 'error'
          : 'blocked';
    return {
      attack: a.name,
      backend: o.backend,
      user: o.user,
      escaped,
      verdict,
      expected,
      says: says || (r.error ? `(no result: ${r.error})` : `(no result line; exit ${r.code})`),
      evidence,
      ...(m ? { rate: [Number(m[1]), Number(m[2])] as const } : {}),
      ms: Date.now() - started,
      output: output.slice(0, 4000),
    };
  } finally {
    await world.close();
  }
}

/** Runs jobs with at most `n` at a time, keeping the order of results. */
export async function pool<T, R>(items: readonly T[], n: number, f: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}
