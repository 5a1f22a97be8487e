/**
 * Running the real `sb` CLI (apps/sb) from the guest suite: where its entry point
 * is, a bounded async run, and `sb features --json` read into the suite's flat
 * feature map. The CLI is what is tested; the suite's own probes only cross-check it.
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FeatureMap, FeatureValue } from '../types.js';

/** apps/sb's bin/sb.js, found the way Node finds the `sb` package from here. */
export function sbEntry(): string {
  return join(dirname(fileURLToPath(import.meta.resolve('sb/package.json'))), 'bin', 'sb.js');
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs `node sb.js ARGS` (killed after timeoutMs); `started` gets the child's pid. */
export function runSb(
  args: readonly string[],
  o: {
    timeoutMs: number;
    cwd?: string;
    started?: (pid: number) => void;
    /** Each complete line of stdout, as it arrives. */
    line?: (line: string) => void;
  },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [sbEntry(), ...args], {
      cwd: o.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      const from = stdout.lastIndexOf('\n') + 1;
      stdout += d;
      if (o.line === undefined) return;
      const end = stdout.lastIndexOf('\n');
      if (end >= from) for (const l of stdout.slice(from, end).split('\n')) o.line(l);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) o.started?.(child.pid);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The parts of `sb features --json` the suite reads (packages/sandbox's SandboxFeatures). */
interface Probe {
  readonly available: boolean;
}
export interface SbFeatures {
  readonly seccomp: {
    readonly filterMode: boolean;
    readonly seccompSyscall: boolean;
    readonly actions: Record<string, boolean | null>;
    readonly flags: Record<string, boolean>;
    readonly notifSizes: { notif: number; resp: number; data: number } | null;
  };
  readonly ptrace: Record<string, FeatureValue>;
  readonly namespaces: Record<string, Probe>;
  readonly userNamespaces?: {
    readonly allowed: boolean;
    readonly unprivilegedAllowed: boolean;
    readonly probe: Probe;
    readonly sysctls?: Record<string, FeatureValue>;
  };
  readonly landlock: { readonly available: boolean; readonly abi: number | null; readonly errno?: string };
  readonly misc: Record<string, Probe>;
  readonly backend: {
    readonly backend: string | null;
    readonly reason: string;
    readonly candidates: readonly { readonly name: string; readonly usable: boolean; readonly why: string }[];
  };
}

/** sb's namespace names to the names in /proc/PID/ns (and the suite's feature keys). */
const NS_FILE: Record<string, string> = { mount: 'mnt' };
export const nsFile = (name: string): string => NS_FILE[name] ?? name;

/** Not features of the kernel: sb's own state, or details of a probe already reported. */
const PTRACE_DETAILS = new Set(['seizeErrno']);
/** `misc` entries reported under another name elsewhere in the map. */
const MISC_NAMES: Record<string, string> = {
  'seccomp user notification': 'seccomp.userNotif',
};

/**
 * Every probed feature of `sb features --json`, flat: seccomp.*, ptrace.*, ns.*,
 * landlock.abi, syscall.* (sb's `misc` group), backend.*. A group or field the
 * suite does not know still shows up (and fails the cell until history.json has it).
 */
export function flattenFeatures(f: SbFeatures): FeatureMap {
  const out: FeatureMap = {};
  const s = f.seccomp;
  out['seccomp.filterMode'] = s.filterMode;
  out['seccomp.syscall'] = s.seccompSyscall;
  for (const [a, v] of Object.entries(s.actions)) out[`seccomp.action.${a}`] = v;
  for (const [a, v] of Object.entries(s.flags)) out[`seccomp.flag.${a}`] = v;
  out['seccomp.notifSizes'] =
    s.notifSizes === null ? null : `${s.notifSizes.notif}/${s.notifSizes.resp}/${s.notifSizes.data}`;
  for (const [k, v] of Object.entries(f.ptrace)) if (!PTRACE_DETAILS.has(k)) out[`ptrace.${k}`] = v;
  for (const [n, p] of Object.entries(f.namespaces)) out[`ns.${nsFile(n)}`] = p.available;
  out['landlock.abi'] = f.landlock.abi ?? f.landlock.errno ?? null;
  for (const [n, p] of Object.entries(f.misc)) out[MISC_NAMES[n] ?? `syscall.${n}`] = p.available;
  if (f.userNamespaces !== undefined) {
    const u = f.userNamespaces;
    out['userns.probe'] = u.probe.available;
    // Sysctl policy of this machine (Debian's unprivileged_userns_clone...), not kernel history.
    out['userns.allowed'] = u.allowed;
    out['userns.unprivilegedAllowed'] = u.unprivilegedAllowed;
    for (const [k, v] of Object.entries(u.sysctls ?? {})) out[`userns.sysctl.${k}`] = v;
  }
  out['backend.auto'] = f.backend.backend;
  for (const c of f.backend.candidates) {
    out[`backend.${c.name}`] = c.usable;
    // Why not (informational: history.json has no such key), for the report.
    if (!c.usable) out[`backend.${c.name}.why`] = c.why;
  }
  const known = new Set(['seccomp', 'ptrace', 'namespaces', 'userNamespaces', 'landlock', 'misc', 'backend']);
  for (const [group, v] of Object.entries(f)) {
    if (!known.has(group)) out[`${group}.(unread)`] = JSON.stringify(v).slice(0, 80);
  }
  return out;
}

/** The line of a Node error output that says what went wrong (not the stack). */
export function errorLine(stderr: string): string {
  const ls = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return (ls.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? ls.at(-1) ?? '').slice(0, 200);
}

/** `sb features --json`, run as a separate process (as a user would), parsed. */
export async function sbFeatures(): Promise<SbFeatures> {
  const r = await runSb(['features', '--json'], { timeoutMs: 120_000 });
  if (r.code !== 0)
    throw new Error(`sb features --json exited with ${r.code ?? r.signal}: ${errorLine(r.stderr)}`);
  try {
    return JSON.parse(r.stdout) as SbFeatures;
  } catch (e) {
    throw new Error(
      `sb features --json printed no JSON (${(e as Error).message}): ${r.stdout.slice(0, 200)}`,
    );
  }
}
