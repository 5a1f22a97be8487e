import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicySource, Violation } from '../src/index.js';

export const { run, spawn, SandboxExecDenied } = (await import(
  // The tracer thread loads handler.js next to the module: the built library is what runs.
  new URL('../dist/index.js', import.meta.url).href
)) as typeof import('../src/index.js');

export const NOBODY = 65534;
const HARNESS = fileURLToPath(new URL('./fixtures/harness.mjs', import.meta.url));

/** A fresh work directory (mode 755), owned by the unprivileged user when `forNobody`. */
export function workDir(forNobody: boolean, prefix = 'sb-sandbox-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o755);
  if (forNobody) chownSync(d, NOBODY, NOBODY);
  return d;
}

export interface CaseResult {
  code: number;
  stdout: string;
  stderr: string;
  violations: Violation[];
  killedAll: boolean;
}

export interface CaseInput {
  command: string;
  args: string[];
  cwd: string;
  policy?: PolicySource[];
  env?: Record<string, string>;
  /** SandboxOptions.backend (default auto). */
  backend?: string;
  /** SandboxOptions.unotifySupervisor (default thread). */
  unotifySupervisor?: 'thread' | 'main-thread';
}

const baseEnv = (cwd: string): Record<string, string> => ({
  PATH: '/usr/local/bin:/usr/bin:/bin',
  HOME: cwd,
  LANG: 'C',
  LC_ALL: 'C',
});

/** Runs a case in this process (as root in CI). */
export async function runAsRoot(c: CaseInput): Promise<CaseResult> {
  const r = await run(c.command, c.args, {
    cwd: c.cwd,
    env: { ...baseEnv(c.cwd), ...c.env },
    ...(c.policy ? { policy: c.policy } : {}),
    ...(c.backend ? { backend: c.backend as 'auto' } : {}),
    ...(c.unotifySupervisor ? { unotifySupervisor: c.unotifySupervisor } : {}),
  });
  return {
    code: r.code,
    stdout: r.stdout.toString('utf8'),
    stderr: r.stderr.toString('utf8'),
    violations: [...r.violations],
    killedAll: r.killedAll,
  };
}

/** Runs a case as uid/gid 65534 through setpriv and the harness script (asynchronously: servers in this process keep answering). */
export function runAsNobody(c: CaseInput): Promise<CaseResult> {
  const input = JSON.stringify({ ...c, env: { ...baseEnv(c.cwd), ...c.env } });
  return new Promise((resolve, reject) => {
    execFile(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, HARNESS, input],
      { encoding: 'utf8', timeout: 60_000, cwd: c.cwd },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`harness failed: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as CaseResult);
      },
    );
  });
}
