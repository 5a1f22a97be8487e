/**
 * Boots one kernel + initramfs in QEMU with a hard timeout. The console goes to a
 * log file as it arrives, so a hung or panicked guest leaves its log behind; on
 * timeout the whole process group is killed (QEMU or anything posing as it).
 */
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';

export type Accel = 'tcg' | 'kvm';

export interface BootOptions {
  readonly qemu: string;
  readonly kernel: string;
  readonly initrd: string;
  /** Extra kernel command-line words. */
  readonly append?: readonly string[];
  readonly accel: Accel;
  readonly memoryMb?: number;
  readonly timeoutMs: number;
  /** A console silent this long is a hung guest (killed); the guest suite prints a step per `sb run`. */
  readonly idleMs?: number;
  /** The console log is written here. */
  readonly log: string;
  /** Ends the boot early (the process is killed) once the console so far satisfies it. */
  readonly stopWhen?: (console: string) => boolean;
  /** Progress: called with each console line. */
  readonly onLine?: (line: string) => void;
}

export type BootStatus = 'exited' | 'timeout' | 'panic' | 'stopped' | 'error';

export interface BootResult {
  readonly status: BootStatus;
  /** QEMU's exit status (null when killed). */
  readonly exitCode: number | null;
  readonly console: string;
  readonly ms: number;
  /** One line saying what went wrong, for non-'exited' results. */
  readonly reason?: string;
}

/** The kernel command line for the suite. `panic=-1` reboots at once and -no-reboot turns that into an exit. */
export function commandLine(extra: readonly string[] = []): string {
  return ['console=ttyS0', 'panic=-1', 'oops=panic', 'loglevel=3', 'lsm=landlock,yama', ...extra].join(' ');
}

export function qemuArgs(o: BootOptions): string[] {
  return [
    ...(o.accel === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', 'tcg', '-cpu', 'max']),
    '-m',
    String(o.memoryMb ?? 1024),
    '-smp',
    '1',
    '-nographic',
    '-no-reboot',
    '-nodefaults',
    '-serial',
    'stdio',
    '-kernel',
    o.kernel,
    '-initrd',
    o.initrd,
    '-append',
    commandLine(o.append),
  ];
}

/** The last non-empty console line, to say why QEMU gave up (": qemu: could not load kernel ..."). */
function lastLine(text: string): string {
  const line = text.trimEnd().split('\n').at(-1)?.trim();
  return line ? `: ${line}` : '';
}

const PANIC = /Kernel panic - not syncing|---\[ end Kernel panic/;

export function boot(o: BootOptions): Promise<BootResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const log = createWriteStream(o.log);
    let text = '';
    let pending = '';
    let ended: { status: BootStatus; reason?: string } | null = null;
    const child = spawn(o.qemu, qemuArgs(o), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const end = (status: BootStatus, reason?: string) => {
      if (ended !== null) return;
      ended = reason === undefined ? { status } : { status, reason };
      killGroup();
    };
    const timer = setTimeout(
      () => end('timeout', `no power-off within ${Math.round(o.timeoutMs / 1000)} s (killed)`),
      o.timeoutMs,
    );
    let idle: NodeJS.Timeout | undefined;
    const quiet = () => {
      if (o.idleMs === undefined) return;
      clearTimeout(idle);
      idle = setTimeout(
        () => end('timeout', `the console was silent for ${Math.round(o.idleMs! / 1000)} s (hung; killed)`),
        o.idleMs,
      );
    };
    quiet();
    const onData = (chunk: Buffer) => {
      quiet();
      const s = chunk.toString('utf8');
      log.write(chunk);
      text += s;
      pending += s;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const l of lines) o.onLine?.(l.replace(/\r$/, ''));
      if (PANIC.test(text)) end('panic', 'the kernel panicked');
      else if (o.stopWhen?.(text)) end('stopped');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let finished = false;
    child.on('error', (e) => {
      end('error', `cannot run ${o.qemu}: ${e.message}`);
      // A process that never started emits no 'exit'.
      if (child.pid === undefined) onExit(null, null);
    });
    // On 'exit' the pipes may still hold console output: kill the group (so no
    // grandchild keeps the pipes open), then wait for 'close' — bounded, so a
    // process outside the group holding a pipe cannot keep us waiting.
    let closed = false;
    const closeWaiters: (() => void)[] = [];
    child.on('close', () => {
      closed = true;
      for (const w of closeWaiters.splice(0)) w();
    });
    const drained = (then: () => void) => {
      if (closed || child.pid === undefined) return then();
      const t = setTimeout(then, 2000);
      closeWaiters.push(() => {
        clearTimeout(t);
        then();
      });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(idle);
      killGroup();
      const finish = () =>
        resolve({
          status: ended?.status ?? (code === 0 ? 'exited' : 'error'),
          exitCode: code,
          console: text,
          ms: Date.now() - started,
          ...(ended?.reason !== undefined
            ? { reason: ended.reason }
            : code !== 0 && ended === null
              ? { reason: `QEMU exited with ${code ?? signal}${lastLine(text)}` }
              : {}),
        });
      drained(() => log.end(finish));
    };
    child.on('exit', onExit);
  });
}
