/**
 * The tracer thread's entry and a thread started ahead of its program. This module
 * imports nothing heavy, so a CLI can start the thread before loading the rest.
 */
import { Worker } from 'node:worker_threads';

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

  /** `preload`: handler modules to import while waiting (see SpawnOptions.handler). */
  constructor(preload: readonly (string | URL)[] = []) {
    this.worker = new Worker(WORKER_URL, {
      execArgv: workerExecArgv(),
      workerData: { preload: preload.map((u) => u.toString()) },
    });
    this.worker.unref();
    // An unused thread that fails on its own (EMFILE loading a module) must not crash the
    // owner; a thread that ended before it was taken would never answer, so take() says so.
    this.worker.on('error', () => {
      this.endedEarly = true;
    });
    this.worker.on('exit', () => {
      this.endedEarly = true;
    });
  }

  /** Whether the thread ended on its own before a Sandbox took it. */
  get ended(): boolean {
    return this.endedEarly;
  }

  /**
   * Hands the thread to a Sandbox; a thread is used at most once. Null when it ended
   * before it was taken (the Sandbox then starts a new one).
   */
  take(): Worker | null {
    const w = this.worker;
    if (w === null) throw new Error('this tracer thread was already used or terminated');
    this.worker = null;
    if (this.endedEarly) return null;
    w.ref();
    return w;
  }

  /** Ends the thread if no Sandbox has taken it. */
  terminate(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}

/** Starts a tracer thread now, for a Sandbox created later (SpawnOptions.thread). */
export function prestartTracer(preload: readonly (string | URL)[] = []): TracerThread {
  return new TracerThread(preload);
}
