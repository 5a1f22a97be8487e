/**
 * The tracer thread's entry and a thread started ahead of its program. This module
 * imports nothing heavy, so a CLI can start the thread before loading the rest.
 */
import { Worker } from 'node:worker_threads';
import type { WorkerMessage } from './worker.js';

export const WORKER_URL = new URL('./worker.js', import.meta.url);
// The owner's flags apply, except those that only make sense for a string entry point.
export const workerExecArgv = () => process.execArgv.filter((a) => !a.startsWith('--input-type'));

/**
 * A tracer thread started before its program is known. A thread's start-up (Node's
 * bootstrap, the tracer's and the handler's modules: a few hundred ms) then overlaps
 * the owner's own preparation (policy, filter, probes) instead of following it.
 * It does not keep the process alive until a Sandbox uses it.
 */
export class TracerThread {
  private worker: Worker | null;
  private endedEarly = false;
  private loaded = false;
  private terminateWhenLoaded = false;

  /** `preload`: handler modules to import while waiting (see SpawnOptions.handler). */
  constructor(preload: readonly (string | URL)[] = []) {
    const w = new Worker(WORKER_URL, {
      execArgv: workerExecArgv(),
      workerData: { preload: preload.map((u) => u.toString()) },
    });
    this.worker = w;
    // The thread keeps the process alive until its modules are loaded: a process that
    // ends, or a thread terminated, while koffi is loading aborts the whole process
    // (node-addon-api's napi_throw fails in a terminating environment: SIGABRT).
    w.on('message', (m: WorkerMessage) => {
      if (m.type !== 'ready') return;
      this.loaded = true;
      if (this.worker !== w) return; // taken: the Sandbox owns its lifetime now
      if (this.terminateWhenLoaded) this.terminate();
      else w.unref();
    });
    // An unused thread that fails on its own (EMFILE loading a module) must not crash the
    // owner; a thread that ended before it was taken would never answer, so take() says so.
    w.on('error', () => {
      this.endedEarly = true;
    });
    w.on('exit', () => {
      this.endedEarly = true;
    });
  }

  /** Whether the thread ended on its own before a Sandbox took it. */
  get ended(): boolean {
    return this.endedEarly;
  }

  /**
   * Hands the thread to a Sandbox with its program (`input`, the worker's WorkerInput);
   * a thread is used at most once. Null when it ended before it was taken (the Sandbox
   * then starts a new one). If the input cannot be posted (not cloneable), the thread
   * stays here, for terminate(), and the error is thrown.
   */
  take(input: unknown): Worker | null {
    const w = this.worker;
    if (w === null) throw new Error('this tracer thread was already used or terminated');
    if (this.endedEarly) {
      this.worker = null;
      return null;
    }
    w.postMessage(input);
    this.worker = null;
    w.ref();
    return w;
  }

  /**
   * Ends the thread if no Sandbox has taken it: at once if its modules are loaded,
   * otherwise as soon as they are (see the constructor for why not sooner).
   */
  terminate(): void {
    const w = this.worker;
    if (w === null) return;
    if (!this.loaded && !this.endedEarly) {
      this.terminateWhenLoaded = true;
      return;
    }
    this.worker = null;
    void w.terminate();
  }
}

/** Starts a tracer thread now, for a Sandbox created later (SpawnOptions.thread). */
export function prestartTracer(preload: readonly (string | URL)[] = []): TracerThread {
  return new TracerThread(preload);
}
