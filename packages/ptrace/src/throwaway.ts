/**
 * Probes that must change a process irreversibly (install a seccomp filter, set
 * no_new_privs) make their calls in a throw-away stub instead (see stub.ts): a
 * process that runs no code of its own (sharing this one's memory where it can),
 * killed afterwards. A stub
 * costs a clone and a few ptrace stops on the calling thread; a throw-away Worker
 * for the same job costs its Node.js start-up (tens of milliseconds).
 */
import { changesMemoryNr } from './address-space.js';
import { PTRACE_O_TRACESYSGOOD } from './constants.js';
import { allocNative, errnoName } from './native.js';
import { Stub } from './stub.js';

export interface StubCalls {
  /** Where the data sits, in the stub as here. */
  readonly data: bigint;
  /**
   * Makes the stub run one system call; returns its raw result (-errno on failure). A call that
   * would change the address space (mmap, munmap, mprotect...) throws: the stub may share ours.
   */
  call(nr: number, args: readonly bigint[]): bigint;
}

/**
 * Runs `use` with a fresh stub holding `fill(address)`'s `size` bytes at `address` (so the
 * data can point into itself), then kills the stub. Throws (naming why) when no stub can be
 * made or traced here: ptrace forbidden, no memory.
 */
export function inThrowawayStub<T>(
  size: number,
  fill: (address: bigint) => Uint8Array,
  use: (stub: StubCalls) => T,
): T {
  const image = allocNative(Math.max(8, size));
  let stub: Stub;
  try {
    const data = fill(image.address);
    if (data.length > size) throw new Error(`internal: ${data.length} bytes of stub data for ${size}`);
    image.bytes.set(data);
    // It never forks or parks: it may share our memory (no copy of Node's to make).
    stub = Stub.create(undefined, { shareMemory: true });
  } catch (e) {
    image.free();
    throw e;
  }
  try {
    const e = stub.seize(PTRACE_O_TRACESYSGOOD);
    if (e !== 0) throw new Error(`PTRACE_SEIZE of a throw-away stub failed (${errnoName(e)})`);
    stub.interrupt();
    const abi = stub.ops.nativeAbi;
    return use({
      data: image.address,
      call: (nr, args) => {
        if (stub.sharesMemory && changesMemoryNr(abi, nr, args[0]))
          throw new Error(
            `a throw-away stub shares this process's memory: system call ${nr} would change it`,
          );
        return stub.inject(nr, args).ret;
      },
    });
  } finally {
    stub.destroy();
    // Only now: a memory-sharing stub reads the data from this very block.
    image.free();
  }
}
