/**
 * Runs one program under sb in its own Node process and writes the result as JSON to a file:
 * used for uid 65534 (through setpriv), for attacks on the supervisor itself (so the test
 * process is not the target) and on a pty (stdin inherited from the terminal).
 * The script is harness-main.ts: `node dist/harness-main.js INPUT.json`.
 */
import type { Readable } from 'node:stream';
import { type PolicySource, type SandboxOptions, spawn } from '@sb/sandbox';

export interface HarnessInput {
  readonly program: string;
  readonly args?: readonly string[];
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly policy: PolicySource[];
  readonly backend: string;
  readonly resultFile: string;
  /** Inherit stdin (a terminal) instead of a pipe. */
  readonly ttyStdin?: boolean;
  readonly timeoutMs: number;
}

export interface HarnessOutput {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly violations: number;
  readonly aborted: boolean;
  readonly error?: string;
}

const collect = (s: Readable | null): Promise<string> =>
  new Promise((resolve) => {
    if (!s) return resolve('');
    const parts: Buffer[] = [];
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('error', () => resolve(Buffer.concat(parts).toString('latin1')));
    s.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
  });

/** Runs the input's program under sb (also used in-process by the runner). */
export async function runSandboxed(input: Omit<HarnessInput, 'resultFile'>): Promise<HarnessOutput> {
  try {
    const options = {
      cwd: input.cwd,
      env: input.env,
      policy: input.policy,
      stdio: [input.ttyStdin ? 'inherit' : 'pipe', 'pipe', 'pipe'],
      signal: AbortSignal.timeout(input.timeoutMs),
      // Picked up by backends that take it; ptrace-only builds ignore it.
      backend: input.backend,
    } as SandboxOptions;
    const p = spawn(input.program, input.args ?? [], options);
    p.stdin?.on('error', () => {});
    p.stdin?.end();
    const [out, err] = [collect(p.stdout), collect(p.stderr)];
    const r = await p.exited;
    return {
      code: r.code,
      stdout: await out,
      stderr: await err,
      violations: r.violations.length,
      aborted: r.aborted,
    };
  } catch (e) {
    return { code: -1, stdout: '', stderr: '', violations: 0, aborted: false, error: String(e) };
  }
}
