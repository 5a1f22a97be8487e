/**
 * The main thread's libuv loop, as libuv offers it to embedders: the fd its I/O
 * waits on (readable when any of its handles has work: a message from a thread,
 * a signal, a socket) and the time until its next timer. A supervisor on the main
 * thread polls that fd beside the listener, and returns to the loop when it fires.
 * Node exports libuv's symbols (native addons link against them).
 */
import { isMainThread } from 'node:worker_threads';
import koffi from 'koffi';

export interface LoopBackend {
  /** uv_backend_fd: readable when the loop has I/O to handle. */
  readonly fd: number;
  /** uv_backend_timeout after uv_update_time: milliseconds to the next timer, -1 for none. */
  timeout(): number;
}

let backend: LoopBackend | null | undefined;

/**
 * The main thread's loop, or null: on another thread (whose loop libuv does not
 * name), or in a runtime whose binary does not export libuv's embedding calls.
 */
export function mainLoopBackend(): LoopBackend | null {
  if (!isMainThread) return null;
  if (backend !== undefined) return backend;
  backend = null;
  try {
    const self = koffi.load(null);
    const defaultLoop = self.func('void *uv_default_loop(void)');
    const backendFd = self.func('int uv_backend_fd(void *loop)');
    const backendTimeout = self.func('int uv_backend_timeout(void *loop)');
    const updateTime = self.func('void uv_update_time(void *loop)');
    const loop = defaultLoop();
    const fd = backendFd(loop) as number;
    if (loop !== null && fd >= 0)
      backend = {
        fd,
        timeout: () => {
          updateTime(loop);
          return backendTimeout(loop) as number;
        },
      };
  } catch {
    // Symbols missing: the supervisor takes a thread of its own instead.
  }
  return backend;
}

/** Whether supervise({ where: 'main-thread' }) would run on this thread (not on a thread of its own). */
export function canSuperviseOnMainThread(): boolean {
  return mainLoopBackend() !== null;
}
