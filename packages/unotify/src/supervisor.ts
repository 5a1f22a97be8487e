/**
 * The supervisor loop: poll the listener (and a wake-up eventfd), receive a
 * notification, let the handler decide, check that the notification is still
 * valid (the caller may have died and its pid been reused while we read its
 * memory and /proc entries), answer. Every failure answers with a denial or
 * kills the caller: nothing runs unchecked because the supervisor erred.
 */

import { EINTR } from './constants.js';
import { privateFs, ThreadCreds } from './creds.js';
import type { NotifyHandler, NotifyResponse } from './handler.js';
import { Listener, type Notification } from './listener.js';
import { askListener, listenerMissing } from './listener-check.js';
import { CallMemory } from './memory.js';
import { close, errno, ioctl, kill, poll } from './native.js';
import { callerPidfd, killByPidfd } from './pidfd.js';

export interface SupervisorStats {
  readonly notifications: number;
  readonly continued: number;
  readonly denied: number;
  readonly emulated: number;
  readonly killed: number;
  /** Calls whose caller was gone before the answer. */
  readonly stale: number;
}

const POLLIN = 0x1;
const POLLERR = 0x8;
const POLLHUP = 0x10;
const POLLNVAL = 0x20;
const SIGKILL = 9;
const EPERM = 1;
const EIO = 5;

export interface RunOptions {
  /** An eventfd; readable means stop. */
  readonly wakeFd?: number;
}

/** Runs until the listener hangs up (no task uses the filter any more) or `wakeFd` fires. */
export function runSupervisor(
  listenerFd: number,
  handler: NotifyHandler,
  opts: RunOptions = {},
): SupervisorStats {
  const loop = new SupervisorLoop(listenerFd, handler);
  try {
    // Without a time limit, a turn that yields saw the wake-up fd.
    loop.turn({ otherFd: opts.wakeFd ?? -1, timeoutMs: -1 });
  } finally {
    loop.end();
  }
  return loop.stats;
}

export interface TurnOptions {
  /** Also polled: readable ends the turn (the caller has other work to do). */
  readonly otherFd: number;
  /** The longest the turn waits, in milliseconds; -1 for no limit. */
  readonly timeoutMs: number;
}

/**
 * The loop in turns, for a caller that must also do other work on its thread (see
 * main-thread.ts): each turn answers notifications until the listener hangs up
 * ('ended'), or until `otherFd` is readable, the time is up or the handler asked to
 * be heard ('yield').
 */
export class SupervisorLoop {
  readonly stats = { notifications: 0, continued: 0, denied: 0, emulated: 0, killed: 0, stale: 0 };
  private readonly creds: ThreadCreds;
  private readonly listener: Listener;
  // Answers that wait for an fd (a connect in progress), polled with the listener.
  private readonly pending: Waiting[] = [];
  private fds = new Uint8Array(16);
  private view = new DataView(this.fds.buffer);
  private staleCheck = Date.now();
  private yieldSoon = false;
  private ended = false;

  constructor(
    private readonly listenerFd: number,
    private readonly handler: NotifyHandler,
  ) {
    // The kernel of this very listener decides, before any answer: a caller may have been
    // told the backend is usable without the throw-away probe (probeUnotify's listener: false).
    const io = askListener(listenerFd, ioctl, errno);
    const missing = listenerMissing(io);
    if (missing !== null) throw new Error(`the seccomp listener cannot be used: ${missing}`);
    Listener.atomicAddfd ??= io.addfdSend;
    privateFs();
    this.creds = new ThreadCreds();
    this.listener = new Listener(listenerFd);
  }

  /** Ends the current turn after the notification being answered (a handler has news). */
  requestYield(): void {
    this.yieldSoon = true;
  }

  turn(opts: TurnOptions): 'ended' | 'yield' {
    if (this.ended) return 'ended';
    const until = opts.timeoutMs < 0 ? Number.POSITIVE_INFINITY : Date.now() + opts.timeoutMs;
    const { listener, pending, stats } = this;
    this.yieldSoon = false;
    for (;;) {
      const count = 2 + pending.length;
      if (this.fds.length < count * 8) {
        this.fds = new Uint8Array(count * 16);
        this.view = new DataView(this.fds.buffer);
      }
      const view = this.view;
      pollEntry(view, 0, this.listenerFd, POLLIN);
      pollEntry(view, 1, opts.otherFd, POLLIN);
      for (const [i, p] of pending.entries()) pollEntry(view, 2 + i, p.fd, p.events);
      const left = until === Number.POSITIVE_INFINITY ? -1 : Math.max(0, until - Date.now());
      const r = poll(this.fds, count, shorter(waitMs(pending), left));
      if (r < 0) {
        if (errno() === EINTR) continue;
        throw new Error(`poll on the seccomp listener failed: errno ${errno()}`);
      }
      // The other fd ends the turn after this round: a caller whose loop always has work
      // still gets one notification answered per turn.
      const other = (view.getInt16(8 + 6, true) & POLLIN) !== 0;
      // A caller that died while its answer waited will never take it: let its fd go.
      const now = Date.now();
      const checkStale = now - this.staleCheck >= STALE_CHECK_MS;
      if (checkStale) this.staleCheck = now;
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        const ready = view.getInt16((2 + i) * 8 + 6, true) !== 0;
        if (ready || (p.deadline !== undefined && now >= p.deadline)) {
          pending.splice(i, 1);
          answer(listener, p.id, p.tid, finished(p, !ready), stats);
        } else if (checkStale && !listener.valid(p.id)) {
          pending.splice(i, 1);
          p.abandon();
          stats.stale++;
        }
      }
      const rev = view.getInt16(6, true);
      if (rev & POLLIN) {
        const n = listener.receive();
        if (n !== null) this.answerOne(n);
      } else if (rev & (POLLHUP | POLLERR | POLLNVAL)) {
        this.ended = true;
        return 'ended';
      }
      if (other || this.yieldSoon || Date.now() >= until) return 'yield';
    }
  }

  /** Abandons the answers still waiting and closes the handler (the caller closes the listener). */
  end(): SupervisorStats {
    this.ended = true;
    // Unanswered, those calls fail with ENOSYS once the listener is closed.
    for (const p of this.pending.splice(0)) p.abandon();
    this.handler.close?.();
    return this.stats;
  }

  private answerOne(n: Notification): void {
    const stats = this.stats;
    stats.notifications++;
    const memory = new CallMemory(n.pid);
    let resp: NotifyResponse;
    try {
      resp = this.handler.notify(n, { memory, creds: this.creds, valid: () => this.listener.valid(n.id) });
    } catch {
      // The handler failed without answering: the caller must not go on unchecked.
      resp = { action: 'kill' };
    }
    if (resp.action === 'wait') {
      stats.emulated++;
      this.pending.push({ ...resp, id: n.id, tid: n.pid });
    } else answer(this.listener, n.id, n.pid, resp, stats);
  }
}

/** The shorter of two poll timeouts (-1: none). */
function shorter(a: number, b: number): number {
  if (a < 0) return b;
  if (b < 0) return a;
  return Math.min(a, b);
}

/** How often a waiting answer's caller is asked whether it is still there. */
const STALE_CHECK_MS = 1000;

type Waiting = Extract<NotifyResponse, { action: 'wait' }> & { readonly id: bigint; readonly tid: number };

/** The poll timeout: the nearest deadline of a waiting answer, and a stale check every second. */
function waitMs(pending: readonly Waiting[]): number {
  if (pending.length === 0) return -1;
  let ms = STALE_CHECK_MS;
  const now = Date.now();
  for (const p of pending) if (p.deadline !== undefined) ms = Math.min(ms, Math.max(0, p.deadline - now));
  return ms;
}

function pollEntry(view: DataView, i: number, fd: number, events: number): void {
  view.setInt32(i * 8, fd, true);
  view.setInt16(i * 8 + 4, events, true);
  view.setInt16(i * 8 + 6, 0, true);
}

/** A waiting answer, now ready (or out of time); a finish that fails (or waits again) denies the call. */
function finished(p: Waiting, timedOut: boolean): NotifyResponse {
  try {
    const resp = p.finish(timedOut);
    if (resp.action !== 'wait') return resp;
    resp.abandon();
  } catch {
    p.abandon();
  }
  return { action: 'deny', errno: EIO };
}

function answer(
  listener: Listener,
  id: bigint,
  tid: number,
  resp: NotifyResponse,
  stats: { continued: number; denied: number; emulated: number; killed: number; stale: number },
): void {
  // A kill goes through a pidfd opened before the check below, so it cannot hit a process that
  // was given the caller's pid after the check (see callerPidfd).
  const pidfd = resp.action === 'kill' ? callerPidfd(tid) : -1;
  // After every read of the caller's memory and /proc: is it still the same call? Only a kill
  // asks first: every other answer is itself refused (ENOENT) for a call that is gone, and a
  // notification id is never reused, so a pending id is the very call that was read.
  if (resp.action === 'kill' && !listener.valid(id)) {
    if (pidfd >= 0) close(pidfd);
    stats.stale++;
    return;
  }
  let delivered = true;
  switch (resp.action) {
    case 'continue':
      delivered = listener.continueCall(id);
      stats.continued++;
      break;
    case 'deny':
      delivered = listener.respond(id, 0n, resp.errno);
      stats.denied++;
      break;
    case 'return':
      delivered = listener.respond(id, resp.value, 0);
      break;
    case 'fd':
      try {
        delivered = listener.installFd(id, resp.fd, resp.cloexec) !== null;
        stats.emulated++;
      } finally {
        close(resp.fd);
      }
      break;
    case 'wait':
      // Not reached: the loop keeps waiting answers aside (finished() never returns one).
      resp.abandon();
      delivered = listener.respond(id, 0n, EIO);
      break;
    case 'kill':
      // Without a pidfd (out of descriptors) kill by pid: the caller was valid a moment ago, and
      // its call is denied below whatever happens to the signal. A pidfd whose signal fails names
      // a process already gone: never retry by pid then.
      if (pidfd >= 0) {
        killByPidfd(pidfd);
        close(pidfd);
      } else kill(tid, SIGKILL);
      listener.respond(id, 0n, EPERM);
      stats.killed++;
      break;
  }
  if (!delivered) stats.stale++;
}
