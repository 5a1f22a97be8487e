/**
 * x86_64 tracer: struct user_regs_struct (27 x u64, arch/x86/include/asm/user_64.h)
 * from PTRACE_GETREGS. A 64-bit tracer sees 32-bit tracees through the same layout.
 *
 * ABI of a stop: cs 0x23 is a 32-bit (i386) process; in a 64-bit process (cs 0x33)
 * the instruction before rip says `syscall` (0f 05: x86_64, or x32 when the number
 * has bit 30) or `int 0x80` (cd 80: the i386 table, from a 64-bit process).
 */
import { AUDIT_ARCH_I386, AUDIT_ARCH_X86_64 } from '../constants.js';
import type { AbiName, ArchOps } from './types.js';

const R = {
  r15: 0,
  r14: 1,
  r13: 2,
  r12: 3,
  rbp: 4,
  rbx: 5,
  r11: 6,
  r10: 7,
  r9: 8,
  r8: 9,
  rax: 10,
  rcx: 11,
  rdx: 12,
  rsi: 13,
  rdi: 14,
  orig_rax: 15,
  rip: 16,
  cs: 17,
  eflags: 18,
  rsp: 19,
  ss: 20,
} as const;

export const X86_64_REG_INDEX = R;
export const X86_64_REGS_SIZE = 27 * 8;
export const X32_SYSCALL_BIT = 0x40000000;
const CS_32 = 0x23;
const CS_64 = 0x33;

const ARGS_64 = [R.rdi, R.rsi, R.rdx, R.r10, R.r8, R.r9] as const;
const ARGS_32 = [R.rbx, R.rcx, R.rdx, R.rsi, R.rdi, R.rbp] as const;

const get = (v: DataView, i: number): bigint => v.getBigUint64(i * 8, true);
const set = (v: DataView, i: number, x: bigint): void => v.setBigUint64(i * 8, BigInt.asUintN(64, x), true);

function argIndex(abi: AbiName, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index > 5)
    throw new RangeError(`no syscall argument ${index}`);
  const table = abi === 'i386' ? ARGS_32 : ARGS_64;
  return table[index]!;
}

function checkAbi(abi: AbiName): void {
  if (abi !== 'x86_64' && abi !== 'i386' && abi !== 'x32')
    throw new Error(`x86_64 tracer cannot handle ABI ${abi}`);
}

export const x86_64: ArchOps = {
  machine: 'x86_64',
  nativeAbi: 'x86_64',
  regsSize: X86_64_REGS_SIZE,
  syscallInsn: Uint8Array.of(0x0f, 0x05),
  // 0: mov $34 (pause), %eax; 5: syscall; 7: jmp 0
  parkLoop: Uint8Array.of(0xb8, 0x22, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xeb, 0xf7),
  auditArches: new Map<number, AbiName>([
    [AUDIT_ARCH_X86_64, 'x86_64'],
    [AUDIT_ARCH_I386, 'i386'],
  ]),
  inject: {
    rt_sigaction: 13,
    rt_sigprocmask: 14,
    dup3: 292,
    close: 3,
    close_range: 436,
    fcntl: 72,
    openat: 257,
    chdir: 80,
    umask: 95,
    setrlimit: 160,
    prctl: 157,
    setsid: 112,
    execve: 59,
    getppid: 110,
  },
  clone: {
    x86_64: { clone: 56, clone3: 435, fork: 57, vfork: 58 },
    x32: {
      clone: 56 | X32_SYSCALL_BIT,
      clone3: 435 | X32_SYSCALL_BIT,
      fork: 57 | X32_SYSCALL_BIT,
      vfork: 58 | X32_SYSCALL_BIT,
    },
    i386: { clone: 120, clone3: 435, fork: 2, vfork: 190 },
  },
  insnBytesNeeded(regs) {
    return Number(get(regs, R.cs)) === CS_32 ? 0 : 2;
  },
  abiOf(regs, insnBefore) {
    const cs = Number(get(regs, R.cs));
    if (cs === CS_32) return 'i386';
    if (cs !== CS_64) return null;
    if (insnBefore === null || insnBefore.length < 2) return null;
    const a = insnBefore[insnBefore.length - 2];
    const b = insnBefore[insnBefore.length - 1];
    if (a === 0xcd && b === 0x80) return 'i386';
    if (a === 0x0f && b === 0x05) {
      return (Number(BigInt.asUintN(32, get(regs, R.orig_rax))) & X32_SYSCALL_BIT) !== 0 ? 'x32' : 'x86_64';
    }
    return null;
  },
  nrInImage: true,
  ip: (regs) => get(regs, R.rip),
  sp: (regs) => get(regs, R.rsp),
  nr(regs, abi) {
    checkAbi(abi);
    // The kernel compares orig_ax as a 32-bit int on every x86 ABI; -1 means "no syscall".
    return Number(BigInt.asIntN(32, get(regs, R.orig_rax)));
  },
  arg(regs, abi, index) {
    checkAbi(abi);
    const v = get(regs, argIndex(abi, index));
    return abi === 'i386' ? BigInt.asUintN(32, v) : v;
  },
  ret(regs, abi) {
    checkAbi(abi);
    const v = get(regs, R.rax);
    return abi === 'i386' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v);
  },
  setNr(regs, abi, nr) {
    checkAbi(abi);
    set(regs, R.orig_rax, BigInt(nr));
  },
  setArg(regs, abi, index, value) {
    checkAbi(abi);
    set(regs, argIndex(abi, index), abi === 'i386' ? BigInt.asUintN(32, value) : value);
  },
  setRet(regs, abi, value) {
    checkAbi(abi);
    set(regs, R.rax, value);
  },
  setupInjection(regs, at, nr, args) {
    set(regs, R.rip, at);
    set(regs, R.rax, BigInt(nr));
    // orig_rax -1: no syscall in progress, so resuming does not apply -ERESTART* rewinding.
    set(regs, R.orig_rax, -1n);
    for (let i = 0; i < 6; i++) set(regs, ARGS_64[i]!, args[i] ?? 0n);
  },
};
