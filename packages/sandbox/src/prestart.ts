/**
 * The next sandbox's tracer thread, started early. This module loads only
 * @sb/ptrace/thread, so `sb` can start the thread before it loads everything else:
 * the thread's start-up (Node's bootstrap and the tracer's modules) then overlaps
 * the CLI's own module loading, probes and policy compilation.
 */
import { prestartTracer, type TracerThread } from '@sb/ptrace/thread';

/** The tracer thread's handler (decisions): preloaded by a prestarted thread. */
export const HANDLER_URL = new URL('./handler.js', import.meta.url);

let prestarted: TracerThread | null = null;

/**
 * Starts the next spawn()'s tracer thread now. It does not keep the process alive
 * until a sandbox uses it; a CLI calls this first thing, a library user before
 * preparing a sandbox.
 */
export function prestart(): void {
  prestarted ??= prestartTracer([HANDLER_URL]);
}

/** The prestarted thread, once; null when none was started. */
export function takePrestarted(): TracerThread | null {
  const t = prestarted;
  prestarted = null;
  return t;
}
