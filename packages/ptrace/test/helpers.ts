import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const HARNESS = fileURLToPath(new URL('./harness.mjs', import.meta.url));

/** Users every behaviour test runs as: root (CI) and nobody (what users are). */
export const USERS = ['root', 'nobody'] as const;
export type User = (typeof USERS)[number];

export function asUser(user: User, cmd: string, args: readonly string[]): [string, string[]] {
  if (user === 'root') return [cmd, [...args]];
  return ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cmd, ...args]];
}

let built: Record<string, string> | null = null;

/** Compiles every test/fixtures/*.c once into a temp dir readable by uid 65534. */
export function fixtures(): Record<string, string> {
  if (built !== null) return built;
  const dir = mkdtempSync(join(tmpdir(), 'sb-ptrace-fixtures-'));
  chmodSync(dir, 0o755);
  const out: Record<string, string> = {};
  for (const f of readdirSync(FIXTURES).filter((n) => n.endsWith('.c'))) {
    const exe = join(dir, basename(f, '.c'));
    execFileSync('gcc', ['-O1', '-pthread', '-o', exe, join(FIXTURES, f)], { stdio: 'inherit' });
    chmodSync(exe, 0o755);
    out[basename(f, '.c')] = exe;
  }
  built = out;
  return out;
}

export interface HarnessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  // biome-ignore lint/suspicious/noExplicitAny: JSON from the harness
  result: any;
}

export function runHarness(user: User, cfg: object, timeout = 60_000): HarnessResult {
  const [cmd, args] = asUser(user, process.execPath, [HARNESS, JSON.stringify(cfg)]);
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout, cwd: '/' });
  const line = r.stderr.split('\n').find((l) => l.startsWith('@@RESULT '));
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout,
    stderr: r.stderr,
    result: line === undefined ? null : JSON.parse(line.slice('@@RESULT '.length)),
  };
}

/** The same program without a tracer, for side-by-side comparisons. */
export function runNative(
  user: User,
  argv: readonly string[],
): { code: number | null; stdout: string; stderr: string } {
  const [cmd, args] = asUser(user, argv[0]!, argv.slice(1));
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, cwd: '/' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export { spawn };
