/** Runs one command under the `measure` helper (measure.c) and returns its times. */

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from '../workloads/which.js';

export const MEASURE_SOURCE = fileURLToPath(new URL('./measure.c', import.meta.url));

/** Compiles measure.c into `toolsDir` (once per source version) and returns the binary's path. */
export function buildMeasure(toolsDir: string): string {
  const src = readFileSync(MEASURE_SOURCE);
  const tag = createHash('sha256').update(src).digest('hex').slice(0, 12);
  const bin = join(toolsDir, `measure-${tag}`);
  if (existsSync(bin)) return bin;
  mkdirSync(toolsDir, { recursive: true });
  execFileSync(requireTool('cc', 'gcc'), ['-O2', '-Wall', '-o', `${bin}.tmp`, MEASURE_SOURCE], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  renameSync(`${bin}.tmp`, bin);
  return bin;
}

export interface Sample {
  readonly wallMs: number;
  readonly userMs: number;
  readonly sysMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
  /** Descendants still running when the command ended (left to init). */
  readonly stragglers: boolean;
}

export type Outcome =
  | { readonly ok: true; readonly sample: Sample }
  | { readonly ok: false; readonly reason: string; readonly stderrTail: string; readonly exitCode?: number };

export interface MeasureRequest {
  readonly measure: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Pin to this CPU; undefined: free. */
  readonly cpu?: number;
  readonly timeoutMs: number;
}

const TAIL = 2000;

/** Parses measure.c's report line. */
export function parseReport(line: string): {
  sample: Sample;
  status: number;
} {
  const f = line.trim().split(/\s+/).map(Number);
  if (f.length !== 6 || f.some((n) => !Number.isFinite(n)))
    throw new Error(`measure: malformed report '${line.trim()}'`);
  const [wallNs, userUs, sysUs, status, stragglers, maxRss] = f as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    sample: {
      wallMs: wallNs / 1e6,
      userMs: userUs / 1e3,
      sysMs: sysUs / 1e3,
      cpuMs: (userUs + sysUs) / 1e3,
      maxRssKb: maxRss,
      stragglers: stragglers !== 0,
    },
    status,
  };
}

/** Decodes a wait status into a sentence and an exit code (128 + signal when killed). */
export function describeStatus(status: number): { code: number; text: string } {
  if ((status & 0x7f) === 0) {
    const code = (status >> 8) & 0xff;
    return { code, text: `exit status ${code}` };
  }
  const sig = status & 0x7f;
  return { code: 128 + sig, text: `killed by signal ${sig}` };
}

export function measureOnce(req: MeasureRequest): Promise<Outcome> {
  const args = [...(req.cpu === undefined ? [] : ['-c', String(req.cpu)]), '--', ...req.argv];
  return new Promise((resolve) => {
    const child = spawn(req.measure, args, {
      cwd: req.cwd,
      env: req.env ?? process.env,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stderr = '';
    let report = '';
    let timedOut = false;
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr = (stderr + d).slice(-TAIL);
    });
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.setEncoding('utf8');
    fd3.on('data', (d: string) => {
      report += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, req.timeoutMs);
    let exited: string | null = null;
    let reportDone = false;
    let stderrDone = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stderr!.destroy();
      resolve(outcome());
    };
    const outcome = (): Outcome => {
      if (timedOut)
        return { ok: false, reason: `timed out after ${req.timeoutMs / 1000} s`, stderrTail: stderr };
      if (exited !== 'exit 0' || report === '')
        return { ok: false, reason: `the measure helper failed (${exited})`, stderrTail: stderr };
      try {
        const { sample, status } = parseReport(report);
        if (status === 0) return { ok: true, sample };
        const s = describeStatus(status);
        return { ok: false, reason: s.text, stderrTail: stderr, exitCode: s.code };
      } catch (e) {
        return { ok: false, reason: (e as Error).message, stderrTail: stderr };
      }
    };
    // stderr may still hold bytes when the helper exits; descendants left running may keep it
    // open for ever, so wait for its end only briefly.
    const maybeFinish = () => {
      if (exited === null || !reportDone) return;
      if (stderrDone) settle();
      else setTimeout(settle, 300).unref();
    };
    child.stderr!.on('end', () => {
      stderrDone = true;
      maybeFinish();
    });
    fd3.on('end', () => {
      reportDone = true;
      maybeFinish();
    });
    child.on('error', (e) => {
      exited = `cannot run it: ${e.message}`;
      reportDone = true;
      maybeFinish();
    });
    child.on('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exit ${code}`;
      maybeFinish();
    });
  });
}
