/**
 * What a notification handler is: a module loaded where the supervisor runs (its
 * thread, or the main thread) that exports `createNotifyHandler(data, env)` and
 * answers each trapped call.
 */

import type { ThreadCreds } from './creds.js';
import type { Notification } from './listener.js';
import type { CallMemory } from './memory.js';

export type NotifyResponse =
  /** Let the call run in the kernel as the caller made it (SECCOMP_USER_NOTIF_FLAG_CONTINUE). */
  | { readonly action: 'continue' }
  /** Fail the call with this errno (positive). */
  | { readonly action: 'deny'; readonly errno: number }
  /** Return this value without running the call. */
  | { readonly action: 'return'; readonly value: bigint }
  /** Install our `fd` in the caller and return its number (the supervisor closes ours). */
  | { readonly action: 'fd'; readonly fd: number; readonly cloexec: boolean }
  /** SIGKILL the caller's process. */
  | { readonly action: 'kill' }
  /**
   * The answer is not ready: poll `fd` for `events` with the other notifications, then answer
   * with finish(false), or finish(true) once `deadline` (Date.now() milliseconds) has passed
   * first. abandon() is called instead when the call went stale or the supervisor ends.
   */
  | {
      readonly action: 'wait';
      readonly fd: number;
      readonly events: number;
      readonly deadline?: number;
      finish(timedOut: boolean): NotifyResponse;
      abandon(): void;
    };

export interface NotifyContext {
  /** The caller's memory, each range read once for this notification. */
  readonly memory: CallMemory;
  /** Switches this thread to a caller's credentials (for emulated opens). */
  readonly creds: ThreadCreds;
  /** SECCOMP_IOCTL_NOTIF_ID_VALID for this notification (the supervisor asks again before answering). */
  valid(): boolean;
}

export interface NotifyHandler {
  notify(n: Notification, ctx: NotifyContext): NotifyResponse;
  /** The supervisor is ending (no more notifications). */
  close?(): void;
}

/** What the supervisor gives createNotifyHandler besides the owner's data. */
export interface NotifyEnv {
  /** Emits `event` on the owner's Supervisor (reports, learned accesses); never blocks. */
  emit(event: string, data: unknown): void;
}

/** The function a handler module exports. */
export type CreateNotifyHandler = (data: unknown, env: NotifyEnv) => NotifyHandler | Promise<NotifyHandler>;

/** The handler module's createNotifyHandler, or an error naming the module. */
export async function loadNotifyHandler(module: string): Promise<CreateNotifyHandler> {
  const mod = (await import(module)) as { createNotifyHandler?: CreateNotifyHandler };
  if (typeof mod.createNotifyHandler !== 'function')
    throw new Error(`notify handler module ${module} does not export createNotifyHandler(data, env)`);
  return mod.createNotifyHandler;
}

/**
 * A handler created ahead of its listener, on this thread, for a supervisor on the main
 * thread (SuperviseOptions.handler): its module loads and its set-up runs while the
 * sandbox is still being launched, instead of after the listener arrives (when the
 * program's execve already waits for the answer). Events it emits before the supervisor
 * takes it are kept for it.
 */
export class PreparedHandler {
  readonly handler: Promise<NotifyHandler>;
  private sink: ((event: string, data: unknown) => void) | null = null;
  private readonly early: [string, unknown][] = [];

  constructor(module: string | URL, data: unknown) {
    this.handler = loadNotifyHandler(module.toString()).then((create) =>
      create(data, {
        emit: (event, d) => {
          if (this.sink) this.sink(event, d);
          else this.early.push([event, d]);
        },
      }),
    );
    // Reported by the supervisor that takes it.
    this.handler.catch(() => {});
  }

  /** Where its events go from now on (those emitted before first). */
  attach(sink: (event: string, data: unknown) => void): void {
    this.sink = sink;
    for (const [event, d] of this.early.splice(0)) sink(event, d);
  }
}
