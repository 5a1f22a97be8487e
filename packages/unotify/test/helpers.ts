import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { action, compile, encode } from '@sb/bpf';
import { type Supervisor, type SupervisorStats, type SupervisorThread, supervise, takeFd } from '@sb/unotify';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const HANDLER = new URL('./fixtures/handler.mjs', import.meta.url);

export const USERS = ['root', 'nobody'] as const;
export type User = (typeof USERS)[number];

export function asUser(user: User, argv: readonly string[]): string[] {
  if (user === 'root') return [...argv];
  return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...argv];
}

let built: Record<string, string> | null = null;
let scratch: string | null = null;

/** A temp dir readable and writable by uid 65534 too. */
export function tempDir(prefix = 'sb-unotify-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(d, 0o777);
  return d;
}

/** Compiles every test/fixtures/*.c once into a temp dir readable by uid 65534. */
export function fixtures(): Record<string, string> {
  if (built !== null) return built;
  const dir = tempDir('sb-unotify-fixtures-');
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

/** A filter that sends `trapped` to the listener (native ABI only; other ABIs are killed). */
export function notifyFilter(trapped: readonly string[]): string {
  const arches = [process.arch === 'x64' ? 'x86_64' : 'aarch64'];
  const program = compile({
    arches,
    defaultAction: action.allow,
    badArchAction: action.killProcess,
    rules: trapped.map((syscall) => ({ syscall, action: action.userNotif })),
  });
  scratch ??= tempDir('sb-unotify-filters-');
  const file = join(scratch, `${trapped.join('-')}.bpf`);
  writeFileSync(file, encode(program));
  chmodSync(file, 0o644);
  return file;
}

export interface NotifiedRun {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stats: SupervisorStats;
  readonly events: Record<string, unknown>;
}

/**
 * Runs argv under notify-exec with `trapped` calls going to a Supervisor running
 * test/fixtures/handler.mjs (or `handler`) with `handlerData`.
 */
export async function runNotified(
  argv: readonly string[],
  opts: {
    trapped?: readonly string[];
    handlerData?: unknown;
    handler?: URL;
    user?: User;
    cwd?: string;
    /** The supervisor is expected to fail: its error is not thrown. */
    expectFailure?: boolean;
    /** A supervisor thread started before the program (prestartSupervisor). */
    thread?: SupervisorThread;
    /** Where the supervisor runs (SuperviseOptions.where). */
    where?: 'thread' | 'main-thread';
    /** Starts the supervisor instead of supervise() (for tests of its parts). */
    start?: (listener: number) => Supervisor;
  } = {},
): Promise<NotifiedRun> {
  const fx = fixtures();
  const filter = notifyFilter(opts.trapped ?? ['open', 'openat', 'execve']);
  const [cmd, ...args] = asUser(opts.user ?? 'root', [fx['notify-exec']!, filter, ...argv]);
  const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe', 'pipe'], cwd: opts.cwd ?? '/' });
  const control = child.stdio[3] as unknown as Readable & Writable;
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  // 'close', not 'exit': only then has all of its output been read.
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) =>
    child.on('close', (code, signal) => res({ code, signal })),
  );
  const remote = await new Promise<number>((res, rej) => {
    let line = '';
    control.on('data', (c: Buffer) => {
      line += c.toString();
      if (line.includes('\n')) res(Number(line.trim()));
    });
    exited.then(() => rej(new Error(`notify-exec ended early: ${err}`)));
  });
  const listener = takeFd(child.pid!, remote);
  const events: Record<string, unknown> = {};
  const sup =
    opts.start?.(listener) ??
    supervise({
      listener,
      handler: opts.handler ?? HANDLER,
      handlerData: opts.handlerData ?? {},
      ...(opts.thread ? { thread: opts.thread } : {}),
      ...(opts.where ? { where: opts.where } : {}),
    });
  if (opts.where && sup.where !== opts.where) throw new Error(`the supervisor runs on ${sup.where}`);
  sup.on('opens', (n: unknown) => {
    events.opens = n;
  });
  await sup.ready;
  control.write('g');
  const status = await exited;
  // The listener hangs up when the last filtered task is gone.
  const none = { notifications: 0, continued: 0, denied: 0, emulated: 0, killed: 0, stale: 0 };
  const stats = opts.expectFailure ? await sup.done.catch(() => none) : await sup.done;
  return { ...status, stdout: out, stderr: err, stats, events };
}
