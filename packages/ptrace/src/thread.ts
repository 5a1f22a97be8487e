/**
 * The tracer thread's entry and threads started ahead of their input. This module
 * imports nothing heavy, so a CLI can start threads before loading the rest.
 */
import { parentPort, Worker, type WorkerOptions, workerData } from 'node:worker_threads';

export const WORKER_URL = new URL('./worker.js', import.meta.url);

/** `args` without `drop`'s options, and the values given to them as separate arguments. */
function without(args: readonly string[], drop: (option: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (!drop(args[i]!)) out.push(args[i]!);
    // execArgv holds only Node's options: an argument that is not one is the previous one's value.
    else if (!args[i]!.includes('=') && args[i + 1] !== undefined && !args[i + 1]!.startsWith('-')) i++;
  }
  return out;
}

/**
 * A worker thread with the owner's Node options, except those a worker refuses: --input-type
 * (for string entry points only) and V8's options (such as --max-old-space-size or
 * --trace-gc), which apply to the whole process already. Node does not say which options
 * are V8's except by refusing them, so a refusal names them and the start is tried again
 * without; Node's default, inheriting every option, would fail on --input-type.
 */
export function startWorker(url: URL, options: Omit<WorkerOptions, 'execArgv'> = {}): Worker {
  let execArgv = without(process.execArgv, (a) => a.split('=')[0] === '--input-type');
  try {
    return new Worker(url, { ...options, execArgv });
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw e;
    // "Initiated Worker with invalid execArgv flags: --a, --b=1"
    const refused = new Set((e as Error).message.split(': ').slice(1).join(': ').split(', '));
    execArgv = without(execArgv, (a) => refused.has(a));
    return new Worker(url, { ...options, execArgv });
  }
}

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
    const w = startWorker(url, { workerData });
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
