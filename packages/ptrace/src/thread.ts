/**
 * The tracer thread's entry and threads started ahead of their input. This module
 * imports nothing heavy, so a CLI can start threads before loading the rest.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';

export const WORKER_URL = new URL('./worker.js', import.meta.url);
// The owner's flags apply, except those that only make sense for a string entry point.
export const workerExecArgv = () => process.execArgv.filter((a) => !a.startsWith('--input-type'));

/**
 * A worker thread started before its input is known, so that its start-up (Node's
 * bootstrap and its modules: a few hundred ms) overlaps the owner's own preparation
 * instead of following it. The worker posts `{ type: 'loaded' }` once its modules are
 * loaded and then waits for one message: its input. Until then the thread keeps the
 * process alive; after that it does not, until someone takes it.
 */
export class PrestartedWorker {
  private worker: Worker | null;
  private endedEarly = false;
  private modulesLoaded = false;
  private terminateWhenLoaded = false;

  constructor(
    url: URL,
    workerData: unknown,
    private readonly what = 'thread',
  ) {
    const w = new Worker(url, { execArgv: workerExecArgv(), workerData });
    this.worker = w;
    // A process that ends, or a thread terminated, while koffi is loading aborts the whole
    // process (node-addon-api's napi_throw fails in a terminating environment: SIGABRT).
    w.on('message', (m: { type?: unknown }) => {
      if (m?.type !== 'loaded') return;
      this.modulesLoaded = true;
      if (this.worker !== w) return; // taken: its new owner decides its lifetime
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

  /** Whether the thread has loaded its modules (and now waits for its input). */
  get loaded(): boolean {
    return this.modulesLoaded;
  }

  /** Whether the thread ended on its own before it was taken. */
  get ended(): boolean {
    return this.endedEarly;
  }

  /**
   * Hands the thread over with its input; a thread is used at most once. Null when it
   * ended before it was taken (the caller then starts a new one). If the input cannot be
   * posted (not cloneable), the thread stays here, for terminate(), and the error is thrown.
   */
  take(input: unknown): Worker | null {
    const w = this.worker;
    if (w === null) throw new Error(`this ${this.what} was already used or terminated`);
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
   * Ends the thread if nobody has taken it: at once if its modules are loaded, otherwise
   * as soon as they are (see the constructor for why not sooner).
   */
  terminate(): void {
    const w = this.worker;
    if (w === null) return;
    if (!this.modulesLoaded && !this.endedEarly) {
      this.terminateWhenLoaded = true;
      return;
    }
    this.worker = null;
    void w.terminate();
  }
}

/**
 * The worker side of PrestartedWorker. Started with `{ input }`, the worker runs
 * main(input) at once. Started with `{ preload }`, it runs load(preload), posts
 * `loaded` whatever load's outcome (a failure is the input's to meet and report again),
 * then waits for its input. `fail` reports a rejected main.
 */
export function prestartableEntry<T>(
  main: (input: T) => Promise<void>,
  load: (preload: readonly string[]) => Promise<unknown>,
  fail: (e: unknown) => void,
): void {
  const data = workerData as { input?: T; preload?: readonly string[] };
  if (data.input !== undefined) {
    main(data.input).catch(fail);
    return;
  }
  const loaded = load(data.preload ?? [])
    .catch(() => {})
    .then(() => parentPort!.postMessage({ type: 'loaded' }));
  parentPort!.once('message', (input: T) => {
    loaded.then(() => main(input)).catch(fail);
  });
}

/**
 * A tracer thread started before its program is known (SpawnOptions.thread): it loads
 * the tracer's and the handler's modules and probes the kernel while the owner prepares
 * the policy, the filter and its own probes.
 */
export class TracerThread extends PrestartedWorker {
  /** `preload`: handler modules to import while waiting (see SpawnOptions.handler). */
  constructor(preload: readonly (string | URL)[] = []) {
    super(WORKER_URL, { preload: preload.map((u) => u.toString()) }, 'tracer thread');
  }
}

/** Starts a tracer thread now, for a Sandbox created later (SpawnOptions.thread). */
export function prestartTracer(preload: readonly (string | URL)[] = []): TracerThread {
  return new TracerThread(preload);
}
