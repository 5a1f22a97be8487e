/**
 * One interface over the per-architecture register layouts. A "register image" is
 * the bytes PTRACE_GETREGS / PTRACE_GETREGSET(NT_PRSTATUS) return; every function
 * here reads or edits such an image and never talks to the kernel, so each
 * architecture is unit-tested on images without running on it.
 */

/** The syscall ABIs the engine tells apart (names as in @sb/syscalls). */
export type AbiName = 'x86_64' | 'i386' | 'x32' | 'aarch64' | 'arm';

/** Native syscall numbers of the calls the launcher injects into its stub. */
export interface InjectNumbers {
  readonly rt_sigaction: number;
  readonly rt_sigprocmask: number;
  readonly dup3: number;
  readonly close: number;
  readonly close_range: number;
  readonly fcntl: number;
  readonly openat: number;
  readonly chdir: number;
  readonly umask: number;
  readonly setrlimit: number;
  readonly prctl: number;
  readonly setsid: number;
  readonly execve: number;
  readonly getppid: number;
}

/** Numbers of the process-creating calls of one ABI (the engine strips CLONE_UNTRACED from clone). */
export interface CloneNumbers {
  readonly clone: number;
  readonly clone3: number;
  readonly fork: number | null;
  readonly vfork: number | null;
}

export interface ArchOps {
  /** The machine (tracer) architecture this module serves. */
  readonly machine: 'x86_64' | 'aarch64';
  readonly nativeAbi: AbiName;
  /** Size of the full register image in bytes (the native layout). */
  readonly regsSize: number;
  /** The native syscall instruction, as bytes in memory. */
  readonly syscallInsn: Uint8Array;
  /**
   * Machine code of a loop that blocks in a system call forever (pause, or ppoll with no
   * fds where there is no pause) and uses no memory: what a stub that shares this
   * process's memory runs until it is seized (see park.ts).
   */
  readonly parkLoop: Uint8Array;
  /** AUDIT_ARCH_* value -> ABI, for PTRACE_GET_SYSCALL_INFO and seccomp. */
  readonly auditArches: ReadonlyMap<number, AbiName>;
  readonly inject: InjectNumbers;
  readonly clone: Readonly<Partial<Record<AbiName, CloneNumbers>>>;
  /**
   * How many bytes before the instruction pointer must be read to tell the ABI of
   * a syscall stop from registers alone (0 when the image says it). The engine
   * reads them only when PTRACE_GET_SYSCALL_INFO is missing.
   */
  insnBytesNeeded(regs: DataView): number;
  /**
   * ABI of the syscall at this stop, from the image and (where insnBytesNeeded > 0)
   * the bytes just before the instruction pointer; null when it cannot be told (the
   * engine then fails closed).
   */
  abiOf(regs: DataView, insnBefore: Uint8Array | null): AbiName | null;
  /** Whether the syscall number is in the image (false on aarch64: NT_ARM_SYSTEM_CALL). */
  readonly nrInImage: boolean;
  ip(regs: DataView): bigint;
  sp(regs: DataView): bigint;
  /** Syscall number as the ABI's table has it (x32 keeps its 0x40000000 bit). */
  nr(regs: DataView, abi: AbiName): number;
  arg(regs: DataView, abi: AbiName, index: number): bigint;
  /** Return value (signed) at a syscall-exit stop. */
  ret(regs: DataView, abi: AbiName): bigint;
  setNr(regs: DataView, abi: AbiName, nr: number): void;
  setArg(regs: DataView, abi: AbiName, index: number, value: bigint): void;
  setRet(regs: DataView, abi: AbiName, value: bigint): void;
  /**
   * Prepares an injected native syscall: instruction pointer at `at` (a syscall
   * instruction), number and arguments set, and any pending syscall restart
   * cancelled so the kernel does not rewind the instruction pointer.
   */
  setupInjection(regs: DataView, at: bigint, nr: number, args: readonly bigint[]): void;
}

export interface SyscallRegsView {
  readonly abi: AbiName | null;
  readonly nr: number;
  readonly args: readonly bigint[];
  readonly ip: bigint;
  readonly sp: bigint;
}

/** Reads the syscall view of a register image through an ArchOps. */
export function viewFromRegs(ops: ArchOps, regs: DataView, insnBefore: Uint8Array | null): SyscallRegsView {
  const abi = ops.abiOf(regs, insnBefore);
  const ip = ops.ip(regs);
  const sp = ops.sp(regs);
  if (abi === null) return { abi, nr: -1, args: [], ip, sp };
  const args: bigint[] = [];
  for (let i = 0; i < 6; i++) args.push(ops.arg(regs, abi, i));
  return { abi, nr: ops.nr(regs, abi), args, ip, sp };
}
