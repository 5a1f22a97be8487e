/**
 * The library face: run a program under a policy. The tracer and the
 * per-syscall decisions live on a worker thread (@sb/ptrace's Sandbox), so the
 * caller's event loop never blocks and several sandboxes run side by side.
 */
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { type NamespaceOptionsInput, prepareNamespaces } from '@sb/ns';
import { Checker, compilePathPattern, type Policy } from '@sb/policy';
import {
  type ExitStatus,
  spawn as ptraceSpawn,
  type RlimitName,
  type SandboxStdio,
  shellStatus,
} from '@sb/ptrace';
import { type BackendPlan, type BackendRequest, kernelBackend, planBackend } from './backend.js';
import { compileFilter } from './filter.js';
import type { HandlerData, HandlerEvent } from './handler.js';
import { closeChildEnds, destroyPipes, type StdioPipe, stdioPipe } from './pipes.js';
import { buildPolicy, type PolicySource } from './policy.js';
import { HANDLER_URL, takePrestarted } from './prestart.js';
import { programPath } from './program.js';
import { formatViolation, type Violation } from './report.js';
import { prepareUnotify } from './unotify.js';

export interface SandboxOptions {
  /** Profiles, files, magic commands (in order) or a ready Policy. Default: the `default` profile. */
  readonly policy?: Policy | readonly PolicySource[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Child fds 0..n-1: 'pipe' (a stream on the handle), 'inherit', 'ignore' or an fd. Default: pipes. */
  readonly stdio?: readonly SandboxStdio[];
  readonly umask?: number;
  readonly rlimits?: Readonly<Partial<Record<RlimitName, { soft: bigint | number; hard: bigint | number }>>>;
  /** setsid() the program (no controlling terminal). */
  readonly newSession?: boolean;
  /** Aborting kills every process of the sandbox. */
  readonly signal?: AbortSignal;
  /** Learning mode (`sb learn`): the policy should allow everything; every checked access is emitted as 'access'. */
  readonly learn?: boolean;
  /** Enforcement backend (default 'auto': the strongest this kernel and policy allow); see BackendPlan. */
  readonly backend?: BackendRequest;
  /**
   * Where the unotify backend's supervisor runs: 'thread' (the default: a thread of its own,
   * so this thread's event loop never waits for it) or 'main-thread' (this thread, in turns
   * with its event loop: no thread to start, which saves about a tenth of a second of CPU per
   * sandbox; for a caller whose main thread has little else to do, like the sb CLI). See
   * @sb/unotify's SuperviseOptions.where. Decisions are the same either way.
   */
  readonly unotifySupervisor?: 'thread' | 'main-thread';
  /** Namespaces, a private root and capability drops (@sb/ns, bubblewrap's model); checked before anything starts. */
  readonly namespaces?: NamespaceOptionsInput;
}

/** The program itself is denied by the exec category (or killed by exec/kill_if_match): nothing was run. */
export class SandboxExecDenied extends Error {
  constructor(readonly violation: Violation) {
    super(formatViolation(violation).slice(4));
    this.name = 'SandboxExecDenied';
  }
}

function checkFirstExec(policy: Policy, command: string, cwd: string, path: string): Violation | null {
  const file = programPath(command, cwd, path);
  if (file === null) return null; // the launch reports ENOENT/EACCES itself
  const checker = new Checker(policy);
  const bytes = Buffer.from(file);
  let d =
    policy.sandbox.exec === 'off'
      ? null
      : checker.check({ category: 'exec', path: bytes, syscall: 'execve' });
  if (d && d.decision === 'allow') d = null;
  if (!d) {
    const o = policy.options;
    const kill = o.exec.killIfMatch.some((p) => compilePathPattern(p, o.match).matches(bytes));
    if (!kill) return null;
    d = {
      decision: 'kill',
      errno: 'EACCES',
      rule: null,
      reason: 'kill-if-match',
      report: true,
      category: 'exec',
      subject: file,
    };
  }
  return {
    time: new Date().toISOString(),
    pid: process.pid,
    tid: process.pid,
    cwd,
    abi: null,
    syscall: 'execve',
    category: 'exec',
    subject: d.subject,
    decision: d.decision === 'deny' ? 'deny' : d.decision === 'allow' ? 'deny' : d.decision,
    errno: d.errno,
    reason: d.reason,
    rule: d.rule
      ? {
          action: d.rule.action,
          category: d.rule.category,
          pattern: String(d.rule.pattern),
          ...(d.rule.source ? { file: d.rule.source.file, line: d.rule.source.line } : {}),
        }
      : null,
    ...(d.reason === 'default' ? { mode: policy.sandbox.exec } : {}),
  };
}

export interface SandboxExit {
  /** The exit code a shell would report: the program's code, 128+signal, or core/violation/exit_code after a killall. */
  readonly code: number;
  /** How the first program ended. */
  readonly status: ExitStatus;
  readonly violations: readonly Violation[];
  /** A killall decision ended the sandbox. */
  readonly killedAll: boolean;
  /** Aborted through the AbortSignal or kill(). */
  readonly aborted: boolean;
  /** Tracer stops handled. */
  readonly stops: number;
}

export interface SandboxEvents {
  violation: [Violation];
  access: [{ category: string; subject: string }];
  spawn: [number];
}

/** A running sandbox: stdio streams, 'violation' events and the `exited` promise. */
export class SandboxProcess extends EventEmitter<SandboxEvents> {
  /** The program's pid once it has been exec'd (rejects when the launch fails). */
  readonly pid: Promise<number>;
  readonly exited: Promise<SandboxExit>;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly policy: Policy;
  /** The backend in force, with the Landlock translation when Landlock is part of it. */
  readonly backend: BackendPlan;
  readonly violations: Violation[] = [];
  private readonly inner: ReturnType<typeof ptraceSpawn>;
  private aborted = false;
  private rootPid: number | null = null;

  constructor(command: string, args: readonly string[], options: SandboxOptions = {}) {
    super();
    const cwd = options.cwd ?? process.cwd();
    this.policy = Array.isArray(options.policy)
      ? buildPolicy(options.policy as readonly PolicySource[], cwd).policy
      : ((options.policy as Policy | undefined) ?? buildPolicy([], cwd).policy);
    // Throws BackendError when the requested backend cannot enforce this policy here.
    this.backend = planBackend(options.backend ?? 'auto', this.policy, kernelBackend());
    const notify = this.backend.supervisor === 'unotify';
    const filter = compileFilter(
      this.policy,
      undefined,
      this.backend.trapOnly,
      notify ? 'user-notif' : 'trace',
    );
    // The program's own execve happens inside the launch, where no handler sees it: check it here.
    const first = checkFirstExec(this.policy, command, cwd, options.env?.PATH ?? process.env.PATH ?? '');
    if (first) throw new SandboxExecDenied(first);
    const handlerData: HandlerData = {
      policy: this.policy,
      ...(options.learn ? { learn: true } : {}),
      ...(notify ? { verifyExec: true } : {}),
    };
    // Throws NamespaceOptionsError / NamespaceUnavailableError before anything starts.
    const ns = options.namespaces ? prepareNamespaces(options.namespaces) : null;
    // Throws BackendError when the kernel or the policy rules the unotify supervisor out;
    // otherwise its thread starts loading (dispose() ends it if the launch does not start).
    const unotify = notify
      ? prepareUnotify(this.policy, filter.bytes, handlerData, options.unotifySupervisor ?? 'thread')
      : null;
    const pipes: (StdioPipe | null)[] = [];
    const thread = takePrestarted();
    // A failure from here on (EMFILE making a pipe or the tracer thread) must not leave
    // open pipes behind: they would keep the caller's process alive.
    try {
      for (const [i, s] of (options.stdio ?? ['pipe', 'pipe', 'pipe']).entries())
        pipes.push(s === 'pipe' ? stdioPipe(i) : null);
      const stdio = (options.stdio ?? ['pipe', 'pipe', 'pipe']).map((s, i) =>
        s === 'pipe' ? pipes[i]!.childFd : s,
      );
      this.inner = ptraceSpawn({
        argv: [command, ...args],
        // In a new root the setup goes to the caller's directory if it exists there, else /.
        ...(ns?.plan.newRoot && options.cwd === undefined ? {} : { cwd }),
        ...(ns || this.backend.beforeFilter.length > 0 || unotify
          ? {
              setup: {
                ...ns?.program,
                // Landlock last: its ruleset is enforced after the namespace steps, right before the filter.
                beforeFilter: [
                  ...(ns?.program.beforeFilter ?? []),
                  ...this.backend.beforeFilter,
                  ...(unotify?.steps ?? []),
                ],
              },
            }
          : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.umask !== undefined ? { umask: options.umask } : {}),
        ...(options.rlimits ? { rlimits: options.rlimits } : {}),
        ...(options.newSession ? { newSession: true } : {}),
        stdio,
        ...(unotify ? {} : { filter: filter.bytes }),
        handler: HANDLER_URL,
        handlerData,
        ...(thread ? { thread } : {}),
      });
    } catch (e) {
      destroyPipes(pipes);
      thread?.terminate();
      unotify?.dispose();
      throw e;
    }
    unotify?.attach(this.inner, (event, data) => this.inner.emit(event, data));
    this.stdin = pipes[0]?.stream ?? null;
    this.stdout = pipes[1]?.stream ?? null;
    this.stderr = pipes[2]?.stream ?? null;
    // The program holds its ends once it runs; ours must go for EOF to reach the streams.
    // A launch that failed leaves no program: our stdin end goes too.
    this.inner.pid.then(
      () => closeChildEnds(pipes),
      () => {
        closeChildEnds(pipes);
        pipes[0]?.stream.destroy();
      },
    );
    let killedAll = false;
    this.inner.on('violation', (v: Violation) => {
      this.violations.push(v);
      this.emit('violation', v);
    });
    this.inner.on('killall', () => {
      killedAll = true;
    });
    this.inner.on('access', (a: Extract<HandlerEvent, { event: 'access' }>['data']) =>
      this.emit('access', a),
    );
    this.pid = this.inner.pid.then((pid) => {
      this.rootPid = pid;
      this.emit('spawn', pid);
      return pid;
    });
    this.pid.catch(() => {});
    const onAbort = () => this.kill();
    if (options.signal) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
    this.exited = this.inner.exited.then(
      (r) => {
        options.signal?.removeEventListener('abort', onAbort);
        const exitCode = this.policy.options.violation.exitCode;
        let code = shellStatus(r.status);
        if (killedAll && exitCode > 0) code = exitCode;
        else if (killedAll && exitCode === 0) code = 128 + (r.status.code ?? r.status.signal ?? 0);
        return {
          code,
          status: r.status,
          violations: this.violations,
          killedAll,
          aborted: this.aborted,
          stops: r.stops,
        };
      },
      (e: unknown) => {
        options.signal?.removeEventListener('abort', onAbort);
        throw e;
      },
    );
    this.exited.catch(() => {});
  }

  /** Sends a signal to the program (the first process); SIGKILL (the default) kills the whole sandbox. */
  kill(signal: NodeJS.Signals | number = 'SIGKILL'): void {
    if (signal === 'SIGKILL' || signal === 9) {
      this.aborted = true;
      this.inner.kill();
      return;
    }
    if (this.rootPid !== null) {
      try {
        process.kill(this.rootPid, signal);
      } catch {
        // Already gone.
      }
    }
  }
}

/** Starts `command args` under the policy; see SandboxProcess. */
export function spawn(
  command: string,
  args: readonly string[] = [],
  options: SandboxOptions = {},
): SandboxProcess {
  return new SandboxProcess(command, args, options);
}

export interface RunResult extends SandboxExit {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
}

export interface RunOptions extends Omit<SandboxOptions, 'stdio'> {
  /** Written to the program's stdin (then closed). Default: empty. */
  readonly input?: string | Uint8Array;
}

/** Runs `command args` to the end and collects its output and violations. */
export async function run(
  command: string,
  args: readonly string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  const { input, ...rest } = options;
  const p = spawn(command, args, { ...rest, stdio: ['pipe', 'pipe', 'pipe'] });
  const collect = (s: Readable | null): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      if (!s) return resolve(Buffer.alloc(0));
      const parts: Buffer[] = [];
      s.on('data', (c: Buffer) => parts.push(c));
      s.on('error', reject);
      s.on('end', () => resolve(Buffer.concat(parts)));
    });
  const out = collect(p.stdout);
  const err = collect(p.stderr);
  p.stdin?.on('error', () => {});
  p.stdin?.end(input ?? '');
  const exit = await p.exited;
  return { ...exit, stdout: await out, stderr: await err };
}
