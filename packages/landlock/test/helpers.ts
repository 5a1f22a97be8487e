/**
 * Test helpers: serialize steps for fixtures/run-steps.c, build it once, run a
 * command under steps (optionally as uid 65534 through setpriv).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeArch, syscallByName } from '@sb/syscalls';
import type { LandlockStep, SetupValue } from '../src/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function arg(v: SetupValue): string {
  if (typeof v === 'bigint') return `i:${v}`;
  if ('str' in v) return `s:${hex(Buffer.from(v.str))}00`;
  if ('result' in v) return `r:${v.result}`;
  if ('fprog' in v) throw new Error('rulesets never pass a seccomp program');
  const patches = (v.patch ?? []).map((p) => `${p.offset}/${p.size}/${p.from}`).join(';');
  return `b:${hex(v.bytes)}:${patches || '-'}`;
}

/** The steps in run-steps.c's line format (syscall names resolved for this machine). */
export function stepsText(steps: readonly LandlockStep[]): string {
  return steps
    .map((s) => {
      if (s.kind === 'skip-unless-ok') return `skip ${s.result} ${s.count}`;
      const nr = syscallByName(nativeArch(), s.name)?.nr;
      if (nr === undefined) throw new Error(`no syscall ${s.name}`);
      return `call ${nr} ${s.save ?? '-'} ${s.okErrnos?.join(',') || '-'} ${s.args.map(arg).join(' ')}`;
    })
    .join('\n');
}

let helper: string | null = null;
export const work = mkdtempSync(join(tmpdir(), 'sb-landlock-test-'));

/** Compile fixtures/run-steps.c (once per test file). */
export function runStepsBinary(): string {
  if (helper) return helper;
  const out = join(work, 'run-steps');
  execFileSync('gcc', [
    '-O',
    '-Wall',
    '-o',
    out,
    new URL('./fixtures/run-steps.c', import.meta.url).pathname,
  ]);
  helper = out;
  return out;
}

export interface Ran {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let counter = 0;
/** Runs `cmd` after the steps, as root or (uid 65534) through setpriv. */
export function runUnder(
  steps: readonly LandlockStep[],
  cmd: readonly string[],
  as: 'root' | 'nobody' = 'root',
): Ran {
  const file = join(work, `steps-${counter++}.txt`);
  writeFileSync(file, stepsText(steps), { mode: 0o644 });
  const base = [runStepsBinary(), file, ...cmd];
  const argv =
    as === 'root' ? base : ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...base];
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
