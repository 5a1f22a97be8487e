/**
 * The library face: a traced program whose tracer runs on its own worker thread,
 * so the owner's event loop never blocks on waitpid. The owner gets events and the
 * exit status as promises, pipes as streams, and can kill the whole tree.
 */
import { EventEmitter } from 'node:events';
import { createReadStream, createWriteStream, type ReadStream, type WriteStream } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import type { LaunchOptions, StdioSpec } from './launch.js';
import { LaunchError } from './launch.js';
// fds made by koffi or another thread: closed with close(2), not fs.closeSync, which warns on a
// worker thread about every fd Node did not open there.
import { closeFd, pipe2 } from './native.js';
import { startWorker, type TracerThread, WORKER_URL } from './thread.js';
import type { ExitStatus } from './tracer.js';
import type { WorkerInput, WorkerMessage } from './worker.js';

const O_CLOEXEC = 0o2000000;

export type SandboxStdio = StdioSpec | 'pipe';

export interface SpawnOptions extends Omit<LaunchOptions, 'stdio' | 'onFd'> {
  /** Like LaunchOptions.stdio, plus 'pipe' (the stream appears as stdin/stdout/stderr or stdio[i]). */
  readonly stdio?: readonly SandboxStdio[];
  /** Module (path or URL) exporting createHandler(handlerData) -> TraceHandler, run on the tracer thread. */
  readonly handler?: string | URL;
  /** Structured-cloneable data for createHandler. */
  readonly handlerData?: unknown;
  /** Emit 'spawn', 'exec' and 'exit' events for every traced thread. */
  readonly events?: boolean;
  /** A tracer thread started earlier (prestartTracer) instead of a new one; used once. */
  readonly thread?: TracerThread;
}

export interface SandboxResult {
  readonly status: ExitStatus;
  readonly stops: number;
}

export class Sandbox extends EventEmitter {
  /** Resolves to the program's pid once it has exec'd; rejects with LaunchError. */
  readonly pid: Promise<number>;
  /** Resolves when every traced process has ended. */
  readonly exited: Promise<SandboxResult>;
  readonly stdio: (ReadStream | WriteStream | null)[] = [];
  /** fds the launch moved into this process (setup `take-fd` steps), once 'spawn' was emitted. */
  fds: Readonly<Record<string, number>> = {};
  private readonly abort = new SharedArrayBuffer(4);
  private readonly worker: Worker;
  private rootPid: number | null = null;

  constructor(opts: SpawnOptions) {
    super();
    const stdio: StdioSpec[] = [];
    const childEnds: number[] = [];
    for (const [i, s] of (opts.stdio ?? ['inherit', 'inherit', 'inherit']).entries()) {
      if (s !== 'pipe') {
        stdio.push(s);
        this.stdio.push(null);
        continue;
      }
      const [r, w] = pipe2(O_CLOEXEC);
      const childEnd = i === 0 ? r : w;
      const ours = i === 0 ? w : r;
      childEnds.push(childEnd);
      stdio.push(childEnd);
      this.stdio.push(i === 0 ? createWriteStream('', { fd: ours }) : createReadStream('', { fd: ours }));
    }
    const { handler, handlerData, events, thread, stdio: _ignored, ...launch } = opts;
    const input: WorkerInput = {
      options: { ...launch, stdio },
      handler: handler === undefined ? undefined : handler.toString(),
      handlerData,
      abort: this.abort,
      events: events === true,
    };
    try {
      this.worker = thread?.take(input) ?? startWorker(WORKER_URL, { workerData: { input } });
    } catch (e) {
      // No thread (EMFILE, ENOMEM, an input that cannot be cloned): nothing would ever use
      // or close the pipes. A prestarted thread that was not taken ends when it can.
      for (const fd of childEnds) closeFd(fd);
      for (const s of this.stdio) s?.destroy();
      thread?.terminate();
      throw e;
    }
    const closeChildEnds = () => {
      for (const fd of childEnds.splice(0)) closeFd(fd);
    };
    let resolvePid!: (pid: number) => void;
    let rejectPid!: (e: Error) => void;
    this.pid = new Promise((res, rej) => {
      resolvePid = res;
      rejectPid = rej;
    });
    this.exited = new Promise<SandboxResult>((resolve, reject) => {
      let done = false;
      this.worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'spawn') {
          closeChildEnds();
          this.rootPid = m.pid;
          this.fds = { ...this.fds, ...m.fds };
          resolvePid(m.pid);
          this.emit('spawn', m.pid, m.timings);
          if (Atomics.load(new Int32Array(this.abort), 0) !== 0) this.kill();
        } else if (m.type === 'fd') {
          // While the launch is still running: e.g. a listener the owner must serve now. The fd
          // is a copy made for this event (-1 if none could be made): the 'fd' listener owns it;
          // with none, it is closed here.
          if (this.listenerCount('fd') > 0) this.emit('fd', m.name, m.fd);
          else if (m.fd >= 0) closeFd(m.fd);
        } else if (m.type === 'event') {
          this.emit(m.event, m.data);
        } else if (m.type === 'error') {
          closeChildEnds();
          done = true;
          const err = new LaunchError(
            m.step ?? 'tracer',
            m.errno ?? 0,
            m.step ? (m.detail ?? '') : m.message,
          );
          if (!m.step) err.message = m.message;
          rejectPid(err);
          reject(err);
        } else if (m.type === 'exit') {
          done = true;
          resolve({ status: m.status, stops: m.stops });
        }
      });
      this.worker.on('error', (e) => {
        closeChildEnds();
        rejectPid(e);
        reject(e);
      });
      this.worker.on('exit', (code) => {
        if (!done) {
          const e = new Error(`the tracer thread ended (${code}) before the program did`);
          rejectPid(e);
          reject(e);
        }
      });
    });
    // Unhandled rejections of the convenience promises are the caller's choice to observe.
    this.pid.catch(() => {});
    this.exited.catch(() => {});
  }

  get stdin(): WriteStream | null {
    return (this.stdio[0] as WriteStream | null | undefined) ?? null;
  }

  get stdout(): ReadStream | null {
    return (this.stdio[1] as ReadStream | null | undefined) ?? null;
  }

  get stderr(): ReadStream | null {
    return (this.stdio[2] as ReadStream | null | undefined) ?? null;
  }

  /**
   * Kills every traced process: the tracer SIGKILLs all of them at its next stop,
   * and the root is SIGKILLed from here to wake it if the tree is idle.
   */
  kill(): void {
    Atomics.store(new Int32Array(this.abort), 0, 1);
    if (this.rootPid !== null) {
      try {
        process.kill(this.rootPid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

/** Starts a traced program on a new tracer thread. */
export function spawn(opts: SpawnOptions): Sandbox {
  return new Sandbox(opts);
}
