/**
 * The caller's memory as one notification sees it: every range is read once
 * (process_vm_readv: no ptrace attach needed) and answered from that copy afterwards,
 * so a decision and the emulation that follows it use the same bytes even if
 * another thread rewrites the buffer meanwhile.
 */
import { EFAULT, ENAMETOOLONG } from './constants.js';
import { errno, readRemote } from './native.js';

const PAGE = 4096;

/** A failed read of the caller's memory, with the errno a decision reports (EFAULT, ENAMETOOLONG, ESRCH). */
export class MemoryError extends Error {
  constructor(
    readonly errno: number,
    what: string,
  ) {
    super(`cannot read the caller's memory: ${what} (errno ${errno})`);
    this.name = 'MemoryError';
  }
}

/** Up to `len` bytes, page by page, stopping at the first unreadable page. */
function readPartial(tid: number, addr: bigint, len: number): Buffer {
  const out = Buffer.alloc(len);
  let done = 0;
  while (done < len) {
    const at = addr + BigInt(done);
    const n = Math.min(len - done, PAGE - Number(at % BigInt(PAGE)));
    const got = readRemote(tid, at, out.subarray(done, done + n));
    if (got < 0) {
      const e = errno();
      if (e === EFAULT || e === 5) break;
      throw new MemoryError(e, `process_vm_readv of tid ${tid}`);
    }
    done += got;
    if (got < n) break;
  }
  return out.subarray(0, done);
}

const reader = {
  read(tid: number, addr: bigint, len: number): Buffer {
    const b = readPartial(tid, addr, len);
    if (b.length < len) throw new MemoryError(EFAULT, `${len} bytes at 0x${addr.toString(16)}`);
    return b;
  },
  /** A NUL-terminated string of at most max-1 bytes (the NUL must come within `max`). */
  readCString(tid: number, addr: bigint, max: number): Buffer {
    if (addr === 0n) throw new MemoryError(EFAULT, 'NULL pointer');
    const parts: Buffer[] = [];
    let total = 0;
    let at = addr;
    while (total < max) {
      const n = Math.min(PAGE - Number(at % BigInt(PAGE)), max - total);
      const chunk = readPartial(tid, at, n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return Buffer.concat(parts);
      }
      if (chunk.length < n) throw new MemoryError(EFAULT, `string at 0x${addr.toString(16)}`);
      parts.push(chunk);
      total += n;
      at += BigInt(n);
    }
    throw new MemoryError(ENAMETOOLONG, `string at 0x${addr.toString(16)} longer than ${max - 1}`);
  },
};

export class CallMemory {
  private readonly strings = new Map<string, Buffer | Error>();
  private readonly ranges = new Map<bigint, Buffer>();
  private readonly failures = new Map<string, Error>();

  constructor(readonly tid: number) {}

  /** A NUL-terminated string of at most `max` bytes (without the NUL); throws ENAMETOOLONG/EFAULT errors. */
  readCString(addr: bigint, max: number): Buffer {
    const k = `${addr}:${max}`;
    let v = this.strings.get(k);
    if (v === undefined) {
      try {
        v = reader.readCString(this.tid, addr, max);
      } catch (e) {
        v = e as Error;
      }
      this.strings.set(k, v);
    }
    if (v instanceof Error) throw v;
    return v;
  }

  read(addr: bigint, length: number): Buffer {
    // A range inside one read before comes from that copy (open_how read whole, then its flags).
    for (const [at, v] of this.ranges) {
      if (addr >= at && addr + BigInt(length) <= at + BigInt(v.length)) {
        const off = Number(addr - at);
        return v.subarray(off, off + length);
      }
    }
    const failed = this.failures.get(`${addr}:${length}`);
    if (failed) throw failed;
    try {
      const v = reader.read(this.tid, addr, length);
      this.ranges.set(addr, v);
      return v;
    } catch (e) {
      this.failures.set(`${addr}:${length}`, e as Error);
      throw e;
    }
  }
}
