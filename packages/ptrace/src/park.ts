/**
 * The code a memory-sharing stub runs until it is seized: ArchOps.parkLoop on a page
 * of its own. A stub cloned with CLONE_VM shares this process's memory until its
 * execve, so it must not run libc: glibc's pause() would mark the cloning thread
 * async-cancellable in that thread's TLS, which the stub shares.
 */
import type { ArchOps } from './arch/types.js';
import { mapCode } from './native.js';

let page: { address: bigint } | { errno: number; step: string } | undefined;

/** The park loop's address, or why this process cannot have one (mapped once). */
export function parkLoop(ops: ArchOps): { address: bigint } | { errno: number; step: string } {
  page ??= mapCode(ops.parkLoop);
  return page;
}
