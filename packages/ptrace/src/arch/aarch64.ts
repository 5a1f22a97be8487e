/**
 * aarch64 tracer: struct user_pt_regs (x0..x30, sp, pc, pstate: 34 x u64) from
 * PTRACE_GETREGSET(NT_PRSTATUS). A 32-bit (arm compat) tracee returns the compat
 * layout instead (18 x u32: r0..r15, cpsr, orig_r0, 72 bytes), told apart by the
 * length the kernel writes back; this module handles images of either size.
 *
 * Limits of this layout (documented in the README):
 * - The syscall number is x8 (r7 for arm) as user space set it; the kernel's own copy
 *   (regs->syscallno) is not in the image. Changing or cancelling the syscall needs
 *   PTRACE_SETREGSET(NT_ARM_SYSTEM_CALL) (nrInImage = false): the engine does that.
 * - orig_x0 is not in NT_PRSTATUS: at a syscall-exit stop x0 already holds the return
 *   value, so the engine keeps the arguments it read at the entry/seccomp stop.
 * - The ABI is told by the image size (64-bit vs compat), not by an instruction.
 */
import { AUDIT_ARCH_AARCH64, AUDIT_ARCH_ARM } from '../constants.js';
import type { AbiName, ArchOps } from './types.js';

export const AARCH64_REGS_SIZE = 34 * 8;
export const ARM_COMPAT_REGS_SIZE = 18 * 4;
const SP = 31;
const PC = 32;

const isCompat = (regs: DataView): boolean => regs.byteLength === ARM_COMPAT_REGS_SIZE;
const x = (v: DataView, i: number): bigint => v.getBigUint64(i * 8, true);
const setX = (v: DataView, i: number, val: bigint): void =>
  v.setBigUint64(i * 8, BigInt.asUintN(64, val), true);
const r = (v: DataView, i: number): bigint => BigInt(v.getUint32(i * 4, true));
const setR = (v: DataView, i: number, val: bigint): void =>
  v.setUint32(i * 4, Number(BigInt.asUintN(32, val)), true);

function checkArg(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > 5)
    throw new RangeError(`no syscall argument ${index}`);
}

function checkAbi(regs: DataView, abi: AbiName): void {
  const want = isCompat(regs) ? 'arm' : 'aarch64';
  if (abi !== want) throw new Error(`register image of ${regs.byteLength} bytes is ${want}, not ${abi}`);
}

export const aarch64: ArchOps = {
  machine: 'aarch64',
  nativeAbi: 'aarch64',
  regsSize: AARCH64_REGS_SIZE,
  // svc #0
  syscallInsn: Uint8Array.of(0x01, 0x00, 0x00, 0xd4),
  // 0: mov x0, xzr; mov x1, xzr; mov x2, xzr; mov x3, xzr; mov x8, #73 (ppoll); svc #0; b 0
  // (little-endian words aa1f03e0 aa1f03e1 aa1f03e2 aa1f03e3 d2800928 d4000001 17fffffa)
  parkLoop: Uint8Array.of(
    ...[0xaa1f03e0, 0xaa1f03e1, 0xaa1f03e2, 0xaa1f03e3, 0xd2800928, 0xd4000001, 0x17fffffa].flatMap((w) => [
      w & 0xff,
      (w >>> 8) & 0xff,
      (w >>> 16) & 0xff,
      w >>> 24,
    ]),
  ),
  auditArches: new Map<number, AbiName>([
    [AUDIT_ARCH_AARCH64, 'aarch64'],
    [AUDIT_ARCH_ARM, 'arm'],
  ]),
  inject: {
    rt_sigaction: 134,
    rt_sigprocmask: 135,
    dup3: 24,
    close: 57,
    close_range: 436,
    fcntl: 25,
    openat: 56,
    chdir: 49,
    umask: 166,
    setrlimit: 164,
    prctl: 167,
    setsid: 157,
    execve: 221,
    getppid: 173,
  },
  clone: {
    aarch64: { clone: 220, clone3: 435, fork: null, vfork: null },
    arm: { clone: 120, clone3: 435, fork: 2, vfork: 190 },
  },
  insnBytesNeeded: () => 0,
  abiOf(regs) {
    if (regs.byteLength === AARCH64_REGS_SIZE) return 'aarch64';
    if (regs.byteLength === ARM_COMPAT_REGS_SIZE) return 'arm';
    return null;
  },
  nrInImage: false,
  ip: (regs) => (isCompat(regs) ? r(regs, 15) : x(regs, PC)),
  sp: (regs) => (isCompat(regs) ? r(regs, 13) : x(regs, SP)),
  nr(regs, abi) {
    checkAbi(regs, abi);
    return isCompat(regs) ? Number(BigInt.asIntN(32, r(regs, 7))) : Number(BigInt.asIntN(32, x(regs, 8)));
  },
  arg(regs, abi, index) {
    checkAbi(regs, abi);
    checkArg(index);
    return isCompat(regs) ? r(regs, index) : x(regs, index);
  },
  ret(regs, abi) {
    checkAbi(regs, abi);
    return isCompat(regs) ? BigInt.asIntN(32, r(regs, 0)) : BigInt.asIntN(64, x(regs, 0));
  },
  setNr(regs, abi, nr) {
    // Kept in the image for consistency; the kernel reads the number from NT_ARM_SYSTEM_CALL.
    checkAbi(regs, abi);
    if (isCompat(regs)) setR(regs, 7, BigInt(nr));
    else setX(regs, 8, BigInt(nr));
  },
  setArg(regs, abi, index, value) {
    checkAbi(regs, abi);
    checkArg(index);
    if (isCompat(regs)) setR(regs, index, value);
    else setX(regs, index, value);
  },
  setRet(regs, abi, value) {
    checkAbi(regs, abi);
    if (isCompat(regs)) setR(regs, 0, value);
    else setX(regs, 0, value);
  },
  setupInjection(regs, at, nr, args) {
    // Restart cancelling (syscallno = -1) goes through NT_ARM_SYSTEM_CALL, done by the engine.
    setX(regs, PC, at);
    setX(regs, 8, BigInt(nr));
    for (let i = 0; i < 6; i++) setX(regs, i, args[i] ?? 0n);
  },
};
