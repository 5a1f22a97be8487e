/**
 * Pipes for a sandbox's stdio as non-blocking sockets. Node's fs streams read a
 * pipe with blocking read() calls on libuv's thread pool (4 threads): a few
 * sandboxes with piped stdout/stderr fill the pool, and the tracer workers,
 * which need the pool to load their modules, never start (a deadlock seen with
 * three sandboxes). net.Socket over the fd uses the event loop instead.
 */
import { Socket } from 'node:net';
import { closeFd, pipe2 } from '@sb/ptrace';

const O_CLOEXEC = 0o2000000;

export interface StdioPipe {
  /** Our end as a stream. */
  readonly stream: Socket;
  /** The program's end (an fd of this process until the launch is done). */
  readonly childFd: number;
}

/** A pipe for child fd `index`: 0 is written by us, the others are read by us. */
export function stdioPipe(index: number): StdioPipe {
  const [r, w] = pipe2(O_CLOEXEC);
  const ours = index === 0 ? w : r;
  const stream = new Socket({ fd: ours, readable: index !== 0, writable: index === 0 });
  if (index !== 0) stream.end(); // nothing is written to a read end; lets 'close' follow EOF
  return { stream, childFd: index === 0 ? r : w };
}

export function closeChildEnds(pipes: readonly (StdioPipe | null)[]): void {
  // close(2) reports a failure by its result, not by throwing: nothing to catch.
  for (const p of pipes) if (p) closeFd(p.childFd);
}

/** Both ends of every pipe: a launch that failed before the program had them. */
export function destroyPipes(pipes: readonly (StdioPipe | null)[]): void {
  closeChildEnds(pipes);
  for (const p of pipes) p?.stream.destroy();
}
