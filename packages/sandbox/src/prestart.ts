/**
 * The next sandbox's threads, started early. This module loads only the light
 * subpaths @sb/ptrace/thread and @sb/unotify/thread, so `sb` can start the threads
 * before it loads everything else: their start-up (Node's bootstrap and their
 * modules) then overlaps the CLI's own module loading, probes and policy compilation.
 */
import { prestartTracer, type TracerThread } from '@sb/ptrace/thread';
import { prestartSupervisor, type SupervisorThread } from '@sb/unotify/thread';

/** The tracer thread's handler (decisions): preloaded by a prestarted thread. */
export const HANDLER_URL = new URL('./handler.js', import.meta.url);
/** The unotify supervisor's handler: preloaded by a prestarted supervisor thread. */
export const NOTIFY_HANDLER_URL = new URL('./notify-handler.js', import.meta.url);

let tracer: TracerThread | null = null;
let supervisor: SupervisorThread | null = null;

export interface PrestartOptions {
  /**
   * Also start the unotify supervisor's thread: for a caller that knows the sandbox
   * will use it (`--backend unotify`). Unused, it ends once loaded.
   */
  readonly unotify?: boolean;
}

/**
 * Starts the next spawn()'s tracer thread now (and the supervisor's, if asked). They do
 * not keep the process alive, once loaded, until a sandbox uses them; a CLI calls this
 * first thing, a library user before preparing a sandbox.
 */
export function prestart(opts: PrestartOptions = {}): void {
  tracer ??= prestartTracer([HANDLER_URL]);
  if (opts.unotify) supervisor ??= prestartSupervisor(NOTIFY_HANDLER_URL);
}

/** The prestarted tracer thread, once; null when none was started. */
export function takePrestarted(): TracerThread | null {
  const t = tracer;
  tracer = null;
  return t;
}

/** The prestarted supervisor thread, once; null when none was started. */
export function takePrestartedSupervisor(): SupervisorThread | null {
  const t = supervisor;
  supervisor = null;
  return t;
}
