/**
 * The tracer thread of a Sandbox (see sandbox.ts). It loads the optional handler
 * module first (the run loop is synchronous from then on), launches the program,
 * and posts its events to the owner. The module exports `createHandler(data)`
 * returning a TraceHandler (or a promise of one).
 */
import { parentPort } from 'node:worker_threads';
import type { LaunchOptions } from './launch.js';
import { LaunchError } from './launch.js';
import { dupCloexec } from './native.js';
import { probe } from './probe.js';
import { prestartableEntry } from './thread.js';
import { type TraceHandler, Tracer } from './tracer.js';

export interface WorkerInput {
  readonly options: LaunchOptions;
  readonly handler?: string;
  readonly handlerData?: unknown;
  readonly abort: SharedArrayBuffer;
  readonly events: boolean;
}

export type WorkerMessage =
  | { type: 'loaded' }
  | { type: 'spawn'; pid: number; timings: unknown; fds: Readonly<Record<string, number>> }
  | { type: 'error'; message: string; step?: string; errno?: number; detail?: string }
  | { type: 'event'; event: string; data: unknown }
  /** `fd` is the owner's own copy (-1 when none could be made): the launch may close its number. */
  | { type: 'fd'; name: string; fd: number }
  | { type: 'exit'; status: { code: number | null; signal: number | null; core: boolean }; stops: number };

const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

async function main(input: WorkerInput): Promise<void> {
  let handler: TraceHandler = {};
  if (input.handler !== undefined) {
    const mod = (await import(input.handler)) as {
      createHandler?: (d: unknown) => TraceHandler | Promise<TraceHandler>;
    };
    if (typeof mod.createHandler !== 'function') {
      throw new Error(`handler module ${input.handler} does not export createHandler(data)`);
    }
    handler = await mod.createHandler(input.handlerData);
  }
  const tracer = new Tracer({ abort: new Int32Array(input.abort) });
  let pid: number;
  try {
    // A copy for the owner, made before the launch goes on: if the launch fails later, it closes
    // its own number, which the owner (another thread, reading the message later) must not use.
    pid = tracer.launch({
      ...input.options,
      onFd: (name, fd) => post({ type: 'fd', name, fd: dupCloexec(fd) }),
    });
  } catch (e) {
    const le = e instanceof LaunchError ? e : null;
    post({
      type: 'error',
      message: (e as Error).message,
      step: le?.step,
      errno: le?.errno,
      detail: le?.detail,
    });
    return;
  }
  post({ type: 'spawn', pid, timings: tracer.lastLaunch, fds: tracer.launchedFds });
  const h: TraceHandler = input.events
    ? {
        ...handler,
        spawn(ev) {
          post({ type: 'event', event: 'spawn', data: ev });
          handler.spawn?.(ev);
        },
        exec(ev, t) {
          post({ type: 'event', event: 'exec', data: ev });
          handler.exec?.(ev, t);
        },
        exit(ev) {
          post({ type: 'event', event: 'exit', data: ev });
          handler.exit?.(ev);
        },
      }
    : handler;
  const r = tracer.run(h);
  post({ type: 'exit', status: r.status, stops: r.stops });
}

const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
// A prestarted thread (TracerThread) imports the handler modules while it waits for the
// program (an import that fails here fails again, reported, when main() imports it), then
// warms what the launch needs: whatever a module offers as warm(), and the kernel probe
// (cached per thread). Failures here are left to the launch to report.
prestartableEntry(
  main,
  async (preload) => {
    await Promise.allSettled(
      preload.map(async (m) => {
        const mod = (await import(m)) as { warm?: () => void };
        mod.warm?.();
      }),
    );
    probe();
  },
  fail,
);
