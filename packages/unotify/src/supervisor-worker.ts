/**
 * The supervisor thread (see supervise.ts for the owner side). Loads the handler
 * module, then runs the synchronous supervisor loop; the owner's event loop never
 * waits for it. The listener fd is closed when the loop ends, whatever the reason:
 * from then on every trapped call of the sandbox fails with ENOSYS (fail closed).
 */
import { parentPort } from 'node:worker_threads';
import { prestartableEntry } from '@sb/ptrace/thread';
import { loadNotifyHandler } from './handler.js';
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
    const create = await loadNotifyHandler(input.handler);
    const handler = await create(input.handlerData, {
      emit: (event, data) => post({ type: 'event', event, data }),
    });
    post({ type: 'ready' });
    const stats = runSupervisor(input.listener, handler, { wakeFd: input.wake });
    post({ type: 'done', stats });
  } finally {
    close(input.listener);
    Atomics.store(new Int32Array(input.closed), 0, 1);
  }
}

const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
// A prestarted thread (SupervisorThread) imports the handler while it waits for the
// listener; an import that fails here fails again, reported, in main().
prestartableEntry(main, (preload) => Promise.allSettled(preload.map((m) => import(m))), fail);
