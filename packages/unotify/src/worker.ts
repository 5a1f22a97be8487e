/**
 * The supervisor thread (see supervise.ts for the owner side). Loads the handler
 * module, then runs the synchronous supervisor loop; the owner's event loop never
 * waits for it. The listener fd is closed when the loop ends, whatever the reason:
 * from then on every trapped call of the sandbox fails with ENOSYS (fail closed).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NotifyHandler } from './handler.js';
import { setNotifSizes } from './listener.js';
import { close } from './native.js';
import { runSupervisor, type SupervisorStats } from './supervisor.js';

export interface WorkerInput {
  readonly listener: number;
  /** Int32Array[1]: set to 1 once this thread closed the listener (the owner closes it otherwise). */
  readonly closed: SharedArrayBuffer;
  readonly wake: number;
  readonly handler: string;
  readonly handlerData?: unknown;
  readonly notifSizes: { readonly notif: number; readonly resp: number } | null;
}

export type SupervisorMessage =
  | { type: 'loaded' }
  | { type: 'ready' }
  | { type: 'done'; stats: SupervisorStats }
  | { type: 'error'; message: string }
  | { type: 'event'; event: string; data: unknown };

const post = (m: SupervisorMessage): void => parentPort!.postMessage(m);

async function main(input: WorkerInput): Promise<void> {
  setNotifSizes(input.notifSizes);
  try {
    const mod = (await import(input.handler)) as {
      createNotifyHandler?: (d: unknown) => NotifyHandler | Promise<NotifyHandler>;
    };
    if (typeof mod.createNotifyHandler !== 'function')
      throw new Error(`notify handler module ${input.handler} does not export createNotifyHandler(data)`);
    const handler = await mod.createNotifyHandler(input.handlerData);
    post({ type: 'ready' });
    const stats = runSupervisor(input.listener, handler, { wakeFd: input.wake });
    post({ type: 'done', stats });
  } finally {
    close(input.listener);
    Atomics.store(new Int32Array(input.closed), 0, 1);
  }
}

const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
const data = workerData as { input?: WorkerInput; preload?: readonly string[] };
if (data.input) {
  main(data.input).catch(fail);
} else {
  // A prestarted thread (SupervisorThread): load the handler modules, say so, then wait
  // for the listener. An import that fails here fails again, reported, in main().
  const loaded = Promise.allSettled((data.preload ?? []).map((m) => import(m))).then(() =>
    post({ type: 'loaded' }),
  );
  parentPort!.once('message', (input: WorkerInput) => {
    loaded.then(() => main(input)).catch(fail);
  });
}
