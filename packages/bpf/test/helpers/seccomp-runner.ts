/**
 * Drives test/fixtures/seccomp-runner.c: compiles it once per test run and asks
 * the running kernel to load (and run) many seccomp programs in one process.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode, type Insn } from '../../src/insn.js';

let runnerPath: string | undefined;

export function seccompRunner(): string {
  if (runnerPath !== undefined) return runnerPath;
  const dir = mkdtempSync(join(tmpdir(), 'sb-bpf-runner-'));
  const out = join(dir, 'seccomp-runner');
  const src = new URL('../fixtures/seccomp-runner.c', import.meta.url).pathname;
  execFileSync('gcc', ['-O2', '-Wall', '-Werror', '-o', out, src], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  chmodSync(dir, 0o755); // the unprivileged run execs it too
  runnerPath = out;
  return out;
}

function u32(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return b;
}

function programRecord(program: readonly Insn[]): Uint8Array[] {
  return [u32(program.length), encode(program, true)];
}

/** Run the fixture as this user, or as nobody (uid/gid 65534) through setpriv when `unprivileged`. */
function run(mode: 'load' | 'run', chunks: Uint8Array[], unprivileged = false): string[] {
  const input = Buffer.concat(chunks);
  const cmd = unprivileged
    ? ['setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', seccompRunner(), mode]]
    : [seccompRunner(), [mode]];
  const r = spawnSync(cmd[0] as string, cmd[1] as string[], { input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`seccomp-runner ${mode} exited ${r.status}: ${r.stderr.toString()}`);
  return r.stdout.toString().trim().split('\n');
}

export type KernelVerdict = 'accepted' | { errno: number };

/** Loads each program in its own child; the kernel's verdict per program. */
export function kernelVerdicts(
  programs: readonly (readonly Insn[])[],
  unprivileged = false,
): KernelVerdict[] {
  const lines = run(
    'load',
    programs.flatMap((p) => programRecord(p)),
    unprivileged,
  );
  if (lines.length !== programs.length)
    throw new Error(`expected ${programs.length} verdicts, got ${lines.length}`);
  return lines.map((l) => {
    if (l === 'accepted') return 'accepted';
    const m = /^errno (\d+)$/.exec(l);
    if (!m) throw new Error(`seccomp-runner: unexpected line ${JSON.stringify(l)}`);
    return { errno: Number(m[1]) };
  });
}

export interface RunCase {
  /** Filters in installation order. */
  filters: readonly (readonly Insn[])[];
  nr: number;
  args?: readonly bigint[];
}

export type RunOutcome =
  | { kind: 'ret'; value: number }
  | { kind: 'errno'; errno: number }
  | { kind: 'trap'; data: number; nr: number }
  | { kind: 'signal'; signal: number };

/** Installs each case's filters in a fresh child, makes the syscall and reports what it got. */
export function kernelRun(cases: readonly RunCase[]): RunOutcome[] {
  const chunks: Uint8Array[] = [];
  for (const c of cases) {
    chunks.push(u32(c.filters.length));
    for (const f of c.filters) chunks.push(...programRecord(f));
    const call = new BigUint64Array(7);
    call[0] = BigInt(c.nr);
    (c.args ?? []).forEach((a, i) => {
      call[i + 1] = BigInt.asUintN(64, a);
    });
    chunks.push(new Uint8Array(call.buffer));
  }
  const lines = run('run', chunks);
  if (lines.length !== cases.length)
    throw new Error(`expected ${cases.length} outcomes, got ${lines.length}`);
  return lines.map((l) => {
    const [kind, a, b] = l.split(' ');
    if (kind === 'ret') return { kind, value: Number(a) };
    if (kind === 'errno') return { kind, errno: Number(a) };
    if (kind === 'trap') return { kind, data: Number(a), nr: Number(b) };
    if (kind === 'signal') return { kind, signal: Number(a) };
    throw new Error(`seccomp-runner: unexpected line ${JSON.stringify(l)}`);
  });
}
