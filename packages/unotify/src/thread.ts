/**
 * A supervisor thread started before its listener exists. This module imports nothing
 * heavy, so a CLI can start the thread before loading the rest: the thread's start-up
 * (Node's bootstrap and the handler's modules) then overlaps the owner's preparation
 * and the launch, instead of holding up the program's first trapped call (its execve).
 */
import { PrestartedWorker } from '@sb/ptrace/thread';

export const SUPERVISOR_WORKER_URL = new URL('./supervisor-worker.js', import.meta.url);

export class SupervisorThread extends PrestartedWorker {
  /** `handler`: the notify handler module supervise() will be given. */
  constructor(handler: string | URL) {
    super(SUPERVISOR_WORKER_URL, { preload: [handler.toString()] }, 'supervisor thread');
  }
}

/** Starts a supervisor thread now, for a supervise() call later (SuperviseOptions.thread). */
export function prestartSupervisor(handler: string | URL): SupervisorThread {
  return new SupervisorThread(handler);
}
