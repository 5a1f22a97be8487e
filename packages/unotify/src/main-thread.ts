/**
 * A supervisor on the main thread, in turns with its event loop. A turn polls the
 * listener together with the loop's own fd (mainLoopBackend) and answers
 * notifications until the loop has work (its fd is readable: a message from a
 * thread, a signal, a socket), its next timer is due, or the handler has events to
 * deliver. Then it returns, and a byte written to a pipe of its own, which the loop
 * watches, starts the next turn once the loop has done that work.
 *
 * Why a pipe: its callback runs in the loop's poll phase, where uv_backend_timeout is the
 * true time to the next timer (inside an immediate it is 0, inside a timer callback -1),
 * and it has been read before the callback runs. A message to itself (MessagePort) would
 * leave libuv's async eventfd readable during the next turn (Node handles the message in
 * the same wake-up), so every turn would end at once: 16,000 turns a second, measured.
 */
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { pipe2 } from '@sb/ptrace';
import type { LoopBackend } from './event-loop.js';
import { PreparedHandler } from './handler.js';
import { close } from './native.js';
import { SupervisorLoop, type SupervisorStats } from './supervisor.js';

/**
 * The longest turn. A handle the loop started since it last polled is not in its fd's
 * set until it polls again: its first event can wait this long.
 */
const MAX_TURN_MS = 50;
const O_CLOEXEC = 0o2000000;
const O_NONBLOCK = 0o4000;

export interface MainThreadHooks {
  ready(): void;
  event(event: string, data: unknown): void;
  done(stats: SupervisorStats): void;
  failed(e: Error): void;
}

export class MainThreadRun {
  private loop: SupervisorLoop | null = null;
  private readonly wake: { readonly reader: Socket; readonly writeFd: number };
  private readonly byte = Uint8Array.of(1);
  private readonly events: [string, unknown][] = [];
  private stopped = false;
  private finished = false;

  constructor(
    private readonly listener: number,
    handler: string | PreparedHandler,
    data: unknown,
    private readonly backend: LoopBackend,
    private readonly hooks: MainThreadHooks,
  ) {
    let fds: [number, number] | null = null;
    try {
      // Non-blocking (a turn never waits to write), close-on-exec (programs never inherit it).
      fds = pipe2(O_CLOEXEC | O_NONBLOCK);
      const reader = new Socket({ fd: fds[0], readable: true, writable: false });
      reader.on('data', () => this.turn());
      this.wake = { reader, writeFd: fds[1] };
    } catch (e) {
      // Taken over all the same: with the listener closed, trapped calls fail with ENOSYS.
      if (fds) for (const fd of fds) close(fd);
      close(listener);
      throw e;
    }
    this.start(handler, data).catch((e: unknown) => this.end(e instanceof Error ? e : new Error(String(e))));
  }

  /** Ends the loop at its next turn (a turn never runs while the owner's code does). */
  stop(): void {
    this.stopped = true;
  }

  private async start(handler: string | PreparedHandler, data: unknown): Promise<void> {
    const prepared = handler instanceof PreparedHandler ? handler : new PreparedHandler(handler, data);
    const h = await prepared.handler;
    // Delivered after the turn, which ends after the call being answered.
    prepared.attach((event, d) => {
      this.events.push([event, d]);
      this.loop?.requestYield();
    });
    if (this.finished) {
      h.close?.();
      return;
    }
    this.loop = new SupervisorLoop(this.listener, h);
    this.hooks.ready();
    this.schedule();
  }

  /** The next turn, once the loop has done its work; a pipe that cannot be written ends the run. */
  private schedule(): void {
    try {
      writeSync(this.wake.writeFd, this.byte);
    } catch (e) {
      this.end(e as Error);
    }
  }

  private turn(): void {
    const loop = this.loop;
    if (this.finished || loop === null) return;
    if (this.stopped) {
      this.end(null);
      return;
    }
    let r: 'ended' | 'yield';
    try {
      let ms = this.backend.timeout();
      if (ms < 0 || ms > MAX_TURN_MS) ms = MAX_TURN_MS;
      r = loop.turn({ otherFd: this.backend.fd, timeoutMs: ms });
    } catch (e) {
      this.end(e as Error);
      return;
    }
    if (r === 'ended') {
      this.end(null);
      return;
    }
    // Scheduled first: an event listener that throws must not leave the calls unanswered.
    this.schedule();
    this.deliver();
  }

  private deliver(): void {
    for (const [event, data] of this.events.splice(0)) this.hooks.event(event, data);
  }

  /** Whatever the reason, the listener is closed: from then on trapped calls fail with ENOSYS. */
  private end(error: Error | null): void {
    if (this.finished) return;
    this.finished = true;
    this.wake.reader.destroy();
    close(this.wake.writeFd);
    let stats: SupervisorStats | null = null;
    try {
      stats = this.loop?.end() ?? null;
    } catch (e) {
      error ??= e as Error;
    } finally {
      close(this.listener);
    }
    try {
      this.deliver();
    } finally {
      if (error) this.hooks.failed(new Error(`unotify supervisor: ${error.message}`));
      else if (stats) this.hooks.done(stats);
      else this.hooks.failed(new Error('unotify supervisor: stopped before its handler was loaded'));
    }
  }
}
