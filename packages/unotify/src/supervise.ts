/**
 * The owner side of a supervisor: starts the supervisor for a listener fd and a
 * handler module, forwards the handler's events, stops it. If the supervisor
 * fails, 'error' is emitted: the owner must kill the sandbox (its trapped calls
 * already fail with ENOSYS once the listener is closed).
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { isMainThread } from 'node:worker_threads';
import { probeSeccomp } from '@sb/bpf';
import { startWorker } from '@sb/ptrace/thread';
import { mainLoopBackend } from './event-loop.js';
import { PreparedHandler } from './handler.js';
import { MainThreadRun } from './main-thread.js';
import { close, eventfd, writeU64 } from './native.js';
import type { SupervisorStats } from './supervisor.js';
import type { SupervisorMessage, WorkerInput } from './supervisor-worker.js';
import { SUPERVISOR_WORKER_URL, type SupervisorThread } from './thread.js';

const EFD_CLOEXEC = 0o2000000;

export interface SuperviseOptions {
  /** The listener fd (this process's); the supervisor takes it over and closes it. */
  readonly listener: number;
  /**
   * Module (path or URL) exporting createNotifyHandler(data, env) -> NotifyHandler; or, for
   * `where: 'main-thread'`, a PreparedHandler made earlier (then handlerData is not used).
   */
  readonly handler: string | URL | PreparedHandler;
  /** Data for createNotifyHandler (structured-cloneable for a supervisor thread). */
  readonly handlerData?: unknown;
  /** A thread started earlier (prestartSupervisor) instead of a new one; used once. */
  readonly thread?: SupervisorThread;
  /**
   * Where the supervisor runs. 'thread' (the default): a thread of its own, so the
   * owner's event loop never waits for it. 'main-thread': this thread, in turns with
   * its event loop (see main-thread.ts). That saves a thread's start-up (Node's
   * bootstrap, the modules, the handler's set-up) for an owner whose main thread has
   * little else to do, like the `sb` CLI; its own callbacks then run between turns.
   * Asked for on a worker thread it throws; where libuv's loop cannot be reached
   * (mainLoopBackend) a thread is used instead (Supervisor.where says which runs).
   */
  readonly where?: 'thread' | 'main-thread';
}

export interface Supervisor extends EventEmitter {
  /** Where it runs (see SuperviseOptions.where). */
  readonly where: 'thread' | 'main-thread';
  /** Resolves when the handler is loaded and the loop runs. */
  readonly ready: Promise<void>;
  /** Resolves with the counters when the loop has ended; rejects when the supervisor failed. */
  readonly done: Promise<SupervisorStats>;
  /** Ends the loop (pending and later trapped calls then fail with ENOSYS). */
  stop(): void;
}

/** ready/done and the single failure both kinds of supervisor report the same way. */
abstract class Settling extends EventEmitter {
  readonly ready: Promise<void>;
  readonly done: Promise<SupervisorStats>;
  private settled = false;
  private onReady!: () => void;
  private onReadyFail!: (e: Error) => void;
  private resolveDone!: (s: SupervisorStats) => void;
  private rejectDone!: (e: Error) => void;

  constructor() {
    super();
    this.ready = new Promise((res, rej) => {
      this.onReady = res;
      this.onReadyFail = rej;
    });
    this.done = new Promise((res, rej) => {
      this.resolveDone = res;
      this.rejectDone = rej;
    });
    this.ready.catch(() => {});
    this.done.catch(() => {});
  }

  protected markReady(): void {
    this.onReady();
  }

  protected succeed(stats: SupervisorStats): void {
    if (this.settled) return;
    this.settled = true;
    this.onReady();
    this.resolveDone(stats);
  }

  protected fail(e: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.onReadyFail(e);
    this.rejectDone(e);
    // 'error' without a listener would throw: `done` carries it then.
    if (this.listenerCount('error') > 0) this.emit('error', e);
  }
}

class ThreadSupervisor extends Settling implements Supervisor {
  readonly where = 'thread' as const;
  private readonly wake: number;
  private readonly worker: Worker;
  private stopped = false;

  constructor(opts: SuperviseOptions) {
    super();
    const wake = eventfd(EFD_CLOEXEC);
    if (wake < 0) {
      // Taken over all the same (see SuperviseOptions.listener).
      close(opts.listener);
      opts.thread?.terminate();
      throw new Error('eventfd failed: cannot start the supervisor');
    }
    this.wake = wake;
    const closed = new SharedArrayBuffer(4);
    const input: WorkerInput = {
      listener: opts.listener,
      closed,
      wake,
      handler: opts.handler.toString(),
      handlerData: opts.handlerData,
      // This thread has @sb/bpf loaded already; the supervisor thread need not load it.
      notifSizes: probeSeccomp().notifSizes,
    };
    try {
      this.worker = opts.thread?.take(input) ?? startWorker(SUPERVISOR_WORKER_URL, { workerData: { input } });
    } catch (e) {
      // Taken over all the same: with the listener closed, trapped calls fail with ENOSYS.
      close(opts.listener);
      close(wake);
      opts.thread?.terminate();
      throw e;
    }
    this.worker.on('message', (m: SupervisorMessage) => {
      if (m.type === 'ready') this.markReady();
      else if (m.type === 'event') this.emit(m.event, m.data);
      else if (m.type === 'done') this.succeed(m.stats);
      else if (m.type === 'error') this.fail(new Error(`unotify supervisor: ${m.message}`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      close(this.wake);
      // A thread that died without its finally (process.exit, a fatal error) left the
      // listener open: close it, so every trapped call fails with ENOSYS instead of waiting.
      if (Atomics.load(new Int32Array(closed), 0) === 0) close(opts.listener);
      this.fail(new Error(`the unotify supervisor thread ended (${code}) before its listener did`));
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    writeU64(this.wake, 1n);
  }
}

class MainThreadSupervisor extends Settling implements Supervisor {
  readonly where = 'main-thread' as const;
  private readonly run: MainThreadRun;

  constructor(opts: SuperviseOptions, loop: NonNullable<ReturnType<typeof mainLoopBackend>>) {
    super();
    // Not needed here: a thread the caller started for this supervisor ends unused.
    opts.thread?.terminate();
    const h = opts.handler instanceof PreparedHandler ? opts.handler : opts.handler.toString();
    this.run = new MainThreadRun(opts.listener, h, opts.handlerData, loop, {
      ready: () => this.markReady(),
      event: (event, data) => this.emit(event, data),
      done: (stats) => this.succeed(stats),
      failed: (e) => this.fail(e),
    });
  }

  stop(): void {
    this.run.stop();
  }
}

/** Starts a supervisor for `opts.listener` (see SuperviseOptions.where). */
export function supervise(opts: SuperviseOptions): Supervisor {
  if (opts.where === 'main-thread') {
    if (!isMainThread) {
      close(opts.listener);
      opts.thread?.terminate();
      throw new Error("supervise({ where: 'main-thread' }) was called on a worker thread");
    }
    const loop = mainLoopBackend();
    if (loop !== null) return new MainThreadSupervisor(opts, loop);
  }
  if (opts.handler instanceof PreparedHandler) {
    close(opts.listener);
    opts.thread?.terminate();
    throw new Error(
      "a PreparedHandler lives on the main thread: supervise it there (where: 'main-thread', where canSuperviseOnMainThread())",
    );
  }
  return new ThreadSupervisor(opts);
}
