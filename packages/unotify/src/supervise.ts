/**
 * The owner side of a supervisor: starts the supervisor thread for a listener fd
 * and a handler module, forwards the handler's events, stops it. If the thread
 * fails, 'error' is emitted: the owner must kill the sandbox (its trapped calls
 * already fail with ENOSYS once the listener is closed).
 */
import { EventEmitter } from 'node:events';
import type { Worker } from 'node:worker_threads';
import { probeSeccomp } from '@sb/bpf';
import { startWorker } from '@sb/ptrace/thread';
import { close, eventfd, writeU64 } from './native.js';
import type { SupervisorStats } from './supervisor.js';
import type { SupervisorMessage, WorkerInput } from './supervisor-worker.js';
import { SUPERVISOR_WORKER_URL, type SupervisorThread } from './thread.js';

const EFD_CLOEXEC = 0o2000000;

export interface SuperviseOptions {
  /** The listener fd (this process's); the supervisor takes it over and closes it. */
  readonly listener: number;
  /** Module (path or URL) exporting createNotifyHandler(data) -> NotifyHandler. */
  readonly handler: string | URL;
  /** Structured-cloneable data for createNotifyHandler. */
  readonly handlerData?: unknown;
  /** A thread started earlier (prestartSupervisor) instead of a new one; used once. */
  readonly thread?: SupervisorThread;
}

export class Supervisor extends EventEmitter {
  /** Resolves when the handler is loaded and the loop runs. */
  readonly ready: Promise<void>;
  /** Resolves with the counters when the loop has ended; rejects when the thread failed. */
  readonly done: Promise<SupervisorStats>;
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
    let onReady!: () => void;
    let onReadyFail!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      onReady = res;
      onReadyFail = rej;
    });
    this.done = new Promise<SupervisorStats>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        onReadyFail(e);
        reject(e);
        // 'error' without a listener would throw: `done` carries it then.
        if (this.listenerCount('error') > 0) this.emit('error', e);
      };
      this.worker.on('message', (m: SupervisorMessage) => {
        if (m.type === 'ready') onReady();
        else if (m.type === 'event') this.emit(m.event, m.data);
        else if (m.type === 'done') {
          settled = true;
          onReady();
          resolve(m.stats);
        } else if (m.type === 'error') fail(new Error(`unotify supervisor: ${m.message}`));
      });
      this.worker.on('error', (e) => fail(e));
      this.worker.on('exit', (code) => {
        close(this.wake);
        // A thread that died without its finally (process.exit, a fatal error) left the
        // listener open: close it, so every trapped call fails with ENOSYS instead of waiting.
        if (Atomics.load(new Int32Array(closed), 0) === 0) close(opts.listener);
        fail(new Error(`the unotify supervisor thread ended (${code}) before its listener did`));
      });
    });
    this.ready.catch(() => {});
    this.done.catch(() => {});
  }

  /** Ends the loop (pending and later trapped calls then fail with ENOSYS). */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    writeU64(this.wake, 1n);
  }
}

/** Starts a supervisor thread for `opts.listener`. */
export function supervise(opts: SuperviseOptions): Supervisor {
  return new Supervisor(opts);
}
