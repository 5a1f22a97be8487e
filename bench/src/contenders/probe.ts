import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Contender, DetectEnv } from './types.js';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error?: string;
}

/** Runs a short command (probe, --version); never throws. */
export function runQuiet(
  argv: readonly string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs ?? 30_000, maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr),
          ...(err && code === null ? { error: err.message } : {}),
        });
      },
    );
  });
}

/** The last non-empty lines of a command's error output, for a one-line reason. */
export function tail(text: string, lines = 3): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(-lines)
    .join(' / ');
}

/** Runs `/bin/true` under the contender in a scratch dir: the contender works here or says why not. */
export async function probeTrue(
  c: Contender,
  binary: string,
  env: DetectEnv,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  const scratch = join(env.probeDir, c.id);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const inv = c.wrap(['/bin/true'], { workdir: env.probeDir, scratch }, binary);
  for (const [p, content] of Object.entries(inv.files ?? {})) writeFileSync(p, content);
  const r = await runQuiet(inv.argv, { cwd: env.probeDir, env: { ...env.env, ...inv.env } });
  if (r.code === 0) return { ok: true };
  const why = r.error ?? `exit status ${r.code}`;
  return { ok: false, reason: `${why}${r.stderr.trim() ? `: ${tail(r.stderr)}` : ''}` };
}
