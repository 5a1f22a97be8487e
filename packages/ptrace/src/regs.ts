/**
 * Register access for the host architecture: PTRACE_GETREGS/SETREGS on x86_64,
 * PTRACE_GETREGSET/SETREGSET(NT_PRSTATUS) elsewhere, and NT_ARM_SYSTEM_CALL for
 * the aarch64 syscall number. Buffers are reused: one tracer thread, one call at a time.
 */
import type { ArchOps } from './arch/index.js';
import {
  NT_ARM_SYSTEM_CALL,
  NT_PRSTATUS,
  PTRACE_GETREGS,
  PTRACE_GETREGSET,
  PTRACE_SETREGS,
  PTRACE_SETREGSET,
} from './constants.js';
import { allocNative, errno, errnoError, ptraceBuf } from './native.js';

export class Registers {
  readonly ops: ArchOps;
  private readonly block;
  private readonly iov = new Uint8Array(16);
  private readonly iovView = new DataView(this.iov.buffer);
  private readonly nrBlock = allocNative(8);

  constructor(ops: ArchOps) {
    this.ops = ops;
    this.block = allocNative(ops.regsSize);
  }

  /** Reads the registers of a stopped tracee. The view is valid until the next read. */
  read(tid: number): DataView {
    if (this.ops.machine === 'x86_64') {
      if (ptraceBuf(PTRACE_GETREGS, tid, 0, this.block.bytes) < 0)
        throw errnoError('PTRACE_GETREGS', errno(), `tid ${tid}`);
      return new DataView(this.block.bytes.buffer, this.block.bytes.byteOffset, this.ops.regsSize);
    }
    this.iovView.setBigUint64(0, this.block.address, true);
    this.iovView.setBigUint64(8, BigInt(this.ops.regsSize), true);
    if (ptraceBuf(PTRACE_GETREGSET, tid, NT_PRSTATUS, this.iov) < 0) {
      throw errnoError('PTRACE_GETREGSET', errno(), `tid ${tid}`);
    }
    // The kernel writes back the length: smaller for a 32-bit (compat) tracee.
    const len = Number(this.iovView.getBigUint64(8, true));
    return new DataView(this.block.bytes.buffer, this.block.bytes.byteOffset, len);
  }

  write(tid: number, regs: DataView): void {
    if (this.ops.machine === 'x86_64') {
      const bytes = new Uint8Array(regs.buffer, regs.byteOffset, regs.byteLength);
      if (ptraceBuf(PTRACE_SETREGS, tid, 0, bytes) < 0)
        throw errnoError('PTRACE_SETREGS', errno(), `tid ${tid}`);
      return;
    }
    if (regs.buffer !== this.block.bytes.buffer) {
      this.block.bytes.set(new Uint8Array(regs.buffer, regs.byteOffset, regs.byteLength));
    }
    this.iovView.setBigUint64(0, this.block.address, true);
    this.iovView.setBigUint64(8, BigInt(regs.byteLength), true);
    if (ptraceBuf(PTRACE_SETREGSET, tid, NT_PRSTATUS, this.iov) < 0) {
      throw errnoError('PTRACE_SETREGSET', errno(), `tid ${tid}`);
    }
  }

  /** Changes the syscall number where the image does not carry it (aarch64: -1 skips the call). */
  writeNr(tid: number, nr: number): void {
    if (this.ops.nrInImage) return;
    new DataView(this.nrBlock.bytes.buffer, this.nrBlock.bytes.byteOffset, 4).setInt32(0, nr, true);
    this.iovView.setBigUint64(0, this.nrBlock.address, true);
    this.iovView.setBigUint64(8, 4n, true);
    if (ptraceBuf(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, this.iov) < 0) {
      throw errnoError('PTRACE_SETREGSET(NT_ARM_SYSTEM_CALL)', errno(), `tid ${tid}`);
    }
  }
}
