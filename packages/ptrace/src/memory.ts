/**
 * Tracee memory as bytes. process_vm_readv/writev (3.2) where the probe found it,
 * else /proc/PID/mem, else PTRACE_PEEKDATA/POKEDATA word by word. Every failure is
 * an ErrnoError (EFAULT for an unmapped address, ENAMETOOLONG for a string without
 * NUL within the bound, ESRCH for a vanished tracee) so callers can fail closed.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { EFAULT, EIO, ENAMETOOLONG, PATH_MAX, PTRACE_PEEKDATA, PTRACE_POKEDATA } from './constants.js';
import {
  allocNative,
  type ErrnoError,
  errno,
  errnoError,
  processVmReadv,
  processVmWritev,
  ptrace,
  ptracePeek,
} from './native.js';

export type MemoryMethod = 'process_vm' | 'proc_mem' | 'peek';

const PAGE = 4096;
const SCRATCH = 64 * 1024;

export class TraceeMemory {
  readonly method: MemoryMethod;
  private readonly scratch = allocNative(SCRATCH);
  private readonly local = new Uint8Array(16);
  private readonly remote = new Uint8Array(16);
  private readonly localView = new DataView(this.local.buffer);
  private readonly remoteView = new DataView(this.remote.buffer);

  constructor(method: MemoryMethod) {
    this.method = method;
  }

  /**
   * Reads up to `len` bytes and stops at the first unreadable page; returns what
   * was read (possibly empty). Throws only for errors other than a fault.
   */
  readPartial(tid: number, addr: bigint, len: number): Buffer {
    const out = Buffer.allocUnsafe(len);
    let done = 0;
    while (done < len) {
      const at = addr + BigInt(done);
      // One page at a time: a fault then costs only the bytes of the faulting page.
      const toPageEnd = PAGE - Number(at % BigInt(PAGE));
      const n = Math.min(len - done, toPageEnd, SCRATCH);
      const got = this.readChunk(tid, at, out, done, n);
      done += got;
      if (got < n) break;
    }
    return out.subarray(0, done);
  }

  /** Reads exactly `len` bytes or throws EFAULT. */
  read(tid: number, addr: bigint, len: number): Buffer {
    const b = this.readPartial(tid, addr, len);
    if (b.length < len)
      throw errnoError('read tracee memory', EFAULT, `tid ${tid} at 0x${addr.toString(16)}+${len}`);
    return b;
  }

  /**
   * Reads a NUL-terminated string (without its NUL). `max` counts the NUL, like
   * PATH_MAX: no NUL within `max` bytes is ENAMETOOLONG; an unreadable byte before
   * the NUL is EFAULT. A NULL pointer is EFAULT.
   */
  readCString(tid: number, addr: bigint, max = PATH_MAX): Buffer {
    if (addr === 0n) throw errnoError('read tracee string', EFAULT, `tid ${tid}: NULL pointer`);
    const parts: Buffer[] = [];
    let total = 0;
    let at = addr;
    while (total < max) {
      const toPageEnd = PAGE - Number(at % BigInt(PAGE));
      const n = Math.min(toPageEnd, max - total);
      const chunk = this.readPartial(tid, at, n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.subarray(0, nul));
        return Buffer.concat(parts);
      }
      if (chunk.length < n) {
        throw errnoError(
          'read tracee string',
          EFAULT,
          `tid ${tid} at 0x${(at + BigInt(chunk.length)).toString(16)}`,
        );
      }
      parts.push(chunk);
      total += n;
      at += BigInt(n);
    }
    throw errnoError(
      'read tracee string',
      ENAMETOOLONG,
      `tid ${tid} at 0x${addr.toString(16)}: no NUL in ${max} bytes`,
    );
  }

  /** Writes all of `data` or throws. */
  write(tid: number, addr: bigint, data: Uint8Array): void {
    if (this.method === 'process_vm') {
      let done = 0;
      while (done < data.length) {
        const n = Math.min(data.length - done, SCRATCH);
        this.scratch.bytes.set(data.subarray(done, done + n));
        this.setIov(this.scratch.address, addr + BigInt(done), n);
        const r = processVmWritev(tid, this.local, this.remote, 1);
        if (r < 0) throw errnoError('process_vm_writev', errno(), `tid ${tid} at 0x${addr.toString(16)}`);
        if (r < n) throw errnoError('process_vm_writev', EFAULT, `tid ${tid} at 0x${addr.toString(16)}`);
        done += n;
      }
      return;
    }
    if (this.method === 'proc_mem') {
      const fd = openProcMem(tid, 'r+');
      try {
        const w = writeSync(fd, data, 0, data.length, Number(addr));
        if (w < data.length) throw errnoError('write /proc/PID/mem', EFAULT, `tid ${tid}`);
      } catch (e) {
        throw asErrno(e, 'write /proc/PID/mem', tid);
      } finally {
        closeSync(fd);
      }
      return;
    }
    // POKEDATA writes whole words: merge the edges with what is there.
    const start = addr & ~7n;
    const end = (addr + BigInt(data.length) + 7n) & ~7n;
    const words = Buffer.from(this.peekRange(tid, start, Number(end - start), true));
    words.set(data, Number(addr - start));
    for (let o = 0; o < words.length; o += 8) {
      const w = words.readBigUInt64LE(o);
      if (ptrace(PTRACE_POKEDATA, tid, start + BigInt(o), w) < 0) {
        throw errnoError('PTRACE_POKEDATA', errno(), `tid ${tid} at 0x${(start + BigInt(o)).toString(16)}`);
      }
    }
  }

  close(): void {
    this.scratch.free();
  }

  private setIov(local: bigint, remote: bigint, len: number): void {
    this.localView.setBigUint64(0, local, true);
    this.localView.setBigUint64(8, BigInt(len), true);
    this.remoteView.setBigUint64(0, remote, true);
    this.remoteView.setBigUint64(8, BigInt(len), true);
  }

  /** Reads n bytes (within one page) into out[at..]; returns the count read (< n on a fault). */
  private readChunk(tid: number, addr: bigint, out: Buffer, at: number, n: number): number {
    if (this.method === 'process_vm') {
      this.setIov(this.scratch.address, addr, n);
      const r = processVmReadv(tid, this.local, this.remote, 1);
      if (r < 0) {
        const e = errno();
        if (e === EFAULT) return 0;
        throw errnoError('process_vm_readv', e, `tid ${tid} at 0x${addr.toString(16)}`);
      }
      out.set(this.scratch.bytes.subarray(0, r), at);
      return r;
    }
    if (this.method === 'proc_mem') {
      const fd = openProcMem(tid, 'r');
      try {
        return readSync(fd, out, at, n, Number(addr));
      } catch (e) {
        const err = asErrno(e, 'read /proc/PID/mem', tid);
        if (err.errno === EIO || err.errno === EFAULT) return 0; // unmapped: the kernel says EIO here
        throw err;
      } finally {
        closeSync(fd);
      }
    }
    const b = this.peekRange(tid, addr, n, false);
    out.set(b, at);
    return b.length;
  }

  /** PEEKDATA over [addr, addr+n): stops at the first unreadable word (or throws when strict). */
  private peekRange(tid: number, addr: bigint, n: number, strict: boolean): Uint8Array {
    const start = addr & ~7n;
    const skip = Number(addr - start);
    const words = Buffer.alloc(Math.ceil((skip + n) / 8) * 8);
    let got = 0;
    for (let o = 0; o < words.length; o += 8) {
      const { value, errno: e } = ptracePeek(PTRACE_PEEKDATA, tid, start + BigInt(o));
      if (e !== 0) {
        if (strict || (e !== EFAULT && e !== EIO)) throw errnoError('PTRACE_PEEKDATA', e, `tid ${tid}`);
        break;
      }
      words.writeBigUInt64LE(value, o);
      got = o + 8;
    }
    return words.subarray(skip, Math.max(skip, Math.min(got, skip + n)));
  }
}

function openProcMem(tid: number, flags: 'r' | 'r+'): number {
  try {
    return openSync(`/proc/${tid}/mem`, flags);
  } catch (e) {
    throw asErrno(e, 'open /proc/PID/mem', tid);
  }
}

function asErrno(e: unknown, what: string, tid: number): ErrnoError {
  const n = (e as { errno?: number }).errno;
  // Node reports errno negated (-5 for EIO).
  return errnoError(what, typeof n === 'number' ? Math.abs(n) : EFAULT, `tid ${tid}`);
}
