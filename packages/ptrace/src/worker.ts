/**
 * The tracer thread of a Sandbox (see sandbox.ts). It loads the optional handler
 * module first (the run loop is synchronous from then on), launches the program,
 * and posts its events to the owner. The module exports `createHandler(data)`
 * returning a TraceHandler (or a promise of one).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LaunchOptions } from './launch.js';
import { LaunchError } from './launch.js';
import { type TraceHandler, Tracer } from './tracer.js';

interface WorkerInput {
  readonly options: LaunchOptions;
  readonly handler?: string;
  readonly handlerData?: unknown;
  readonly abort: SharedArrayBuffer;
  readonly events: boolean;
}

export type WorkerMessage =
  | { type: 'spawn'; pid: number; timings: unknown; fds: Readonly<Record<string, number>> }
  | { type: 'error'; message: string; step?: string; errno?: number }
  | { type: 'event'; event: string; data: unknown }
  | { type: 'fd'; name: string; fd: number }
  | { type: 'exit'; status: { code: number | null; signal: number | null; core: boolean }; stops: number };

const input = workerData as WorkerInput;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

async function main(): Promise<void> {
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
    pid = tracer.launch({ ...input.options, onFd: (name, fd) => post({ type: 'fd', name, fd }) });
  } catch (e) {
    const le = e instanceof LaunchError ? e : null;
    post({ type: 'error', message: (e as Error).message, step: le?.step, errno: le?.errno });
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

main().catch((e: unknown) => {
  post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
});
