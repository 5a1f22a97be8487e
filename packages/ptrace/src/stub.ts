/**
 * The stopped stub a sandboxed program starts from, and syscall injection into it.
 *
 * The tracer thread calls glibc clone(fn, stack, flags, 0) through koffi; no JavaScript
 * and no atfork handler ever runs in the child. Two kinds:
 * - a copy (flags SIGCHLD, fn = libc's pause()): a single-threaded copy of this process.
 *   Copying Node's page tables takes milliseconds, and every page this process writes
 *   afterwards takes a copy-on-write fault.
 * - memory-sharing (CLONE_VM | SIGCHLD, fn = the park loop of park.ts), as posix_spawn
 *   does: nothing is copied. The stub keeps its stack (and the launcher its data block)
 *   until it has exec'd or died. It is cloned with all signals blocked, so no signal
 *   handler of this process can run in it before the tracer seizes it (from then on a
 *   signal is a ptrace stop, and the stub's are discarded).
 * The tracer seizes it, interrupts it, and makes it perform system calls by pointing its
 * instruction pointer at a syscall instruction of libc with the number and arguments
 * in registers, stepping from syscall-entry to syscall-exit stop and reading the
 * result. Data the calls need (strings, argv, the seccomp program) is laid out in
 * malloc'd memory BEFORE the clone, so it sits at the same address in the child (a
 * copy's or the shared one): no remote allocation is needed.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { hostArch } from './arch/index.js';
import type { ArchOps } from './arch/types.js';
import {
  __WALL,
  CLONE_VM,
  EINTR,
  PTRACE_CONT,
  PTRACE_EVENT_CLONE,
  PTRACE_EVENT_EXEC,
  PTRACE_EVENT_FORK,
  PTRACE_EVENT_SECCOMP,
  PTRACE_EVENT_STOP,
  PTRACE_EVENT_VFORK,
  PTRACE_GETEVENTMSG,
  PTRACE_INTERRUPT,
  PTRACE_SEIZE,
  PTRACE_SYSCALL,
  SIGCHLD,
  SIGKILL,
  SIGTRAP,
} from './constants.js';
import {
  allocNative,
  clone,
  errno,
  errnoError,
  kill,
  type NativeBlock,
  pauseAddress,
  ptrace,
  ptraceBuf,
  waitpid,
  withSignalsBlocked,
} from './native.js';
import { parkLoop } from './park.js';
import { Registers } from './regs.js';
import { exited, exitStatus, ptraceEvent, signaled, stopped, stopSig, termSig } from './status.js';

const STACK_SIZE = 64 * 1024;

/** The stub died or misbehaved while being set up. */
export class StubError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StubError';
  }
}

let syscallInsnAddress: bigint | null = null;

/**
 * Address of a syscall instruction in this process's libc (hence in the stub):
 * the one inside pause(), found by scanning its first bytes in /proc/self/mem.
 */
export function findSyscallInsn(ops: ArchOps = hostArch()): bigint {
  if (syscallInsnAddress !== null) return syscallInsnAddress;
  const fd = openSync('/proc/self/mem', 'r');
  const code = Buffer.alloc(256);
  try {
    readSync(fd, code, 0, code.length, pauseAddress as unknown as number);
  } finally {
    closeSync(fd);
  }
  const insn = Buffer.from(ops.syscallInsn);
  const step = ops.machine === 'aarch64' ? 4 : 1; // aarch64 instructions are aligned
  for (let i = 0; i + insn.length <= code.length; i += step) {
    if (code.subarray(i, i + insn.length).equals(insn)) {
      syscallInsnAddress = pauseAddress + BigInt(i);
      return syscallInsnAddress;
    }
  }
  throw new StubError('no syscall instruction found in libc pause(); cannot inject system calls');
}

export interface InjectResult {
  /** Raw return value (negative errno on failure). */
  readonly ret: bigint;
  /** A PTRACE_EVENT_EXEC was seen (execve succeeded). */
  readonly execed: boolean;
  /** The pid a fork/vfork/clone event reported (an injected fork's child, auto-attached). */
  readonly child: number | null;
}

/** SIGKILLs a tracee of this thread and waits until it is gone (stops before its end are passed over). */
export function killAndReap(pid: number): void {
  const status = new Int32Array(1);
  kill(pid, SIGKILL);
  for (;;) {
    const r = waitpid(pid, status, __WALL);
    if (r < 0 && errno() === EINTR) continue;
    if (r < 0) break;
    if (exited(status[0]!) || signaled(status[0]!)) break;
  }
}

export interface StubOptions {
  /**
   * Share this process's memory (CLONE_VM) instead of copying it, where the park loop can
   * be mapped (else a copy: see `sharesMemory`). Only for a stub that execs or dies: one
   * that forks would copy this process after all, and one parked for good keeps it mapped.
   * Nothing injected into it may change the address space (mmap, munmap, mprotect...): it
   * is this process's.
   */
  readonly shareMemory?: boolean;
}

export class Stub {
  readonly pid: number;
  readonly ops: ArchOps;
  readonly regs: Registers;
  private readonly status = new Int32Array(1);
  private dead = false;
  /** A memory-sharing stub's stack, ours to free once the stub has exec'd or died. */
  private stack: NativeBlock | null;

  private constructor(pid: number, ops: ArchOps, regs: Registers, stack: NativeBlock | null = null) {
    this.pid = pid;
    this.ops = ops;
    this.regs = regs;
    this.stack = stack;
  }

  /** Whether the stub shares this process's memory (until its execve). */
  get sharesMemory(): boolean {
    return this.stack !== null;
  }

  /** Clones the stub. Must be called on the tracer thread (it becomes the stub's parent). */
  static create(regs?: Registers, opts: StubOptions = {}): Stub {
    const ops = hostArch();
    findSyscallInsn(ops);
    const park = opts.shareMemory ? parkLoop(ops) : null;
    const shared = park !== null && 'address' in park ? park.address : null;
    const stack = allocNative(STACK_SIZE);
    let kept = false;
    try {
      const top = (stack.address + BigInt(STACK_SIZE)) & ~15n;
      const pid =
        shared === null
          ? clone(pauseAddress, top, SIGCHLD, 0n)
          : withSignalsBlocked(() => clone(shared, top, CLONE_VM | SIGCHLD, 0n));
      if (pid < 0) throw errnoError('clone', errno(), 'creating the stub');
      kept = shared !== null;
      return new Stub(pid, ops, regs ?? new Registers(ops), kept ? stack : null);
    } finally {
      // A copy has its own copy of the stack; ours is no longer needed.
      if (!kept) stack.free();
    }
  }

  /**
   * Takes over the auto-attached child of an injected fork: waits for its first
   * stop, which comes before it runs any instruction of its own.
   */
  static adopt(pid: number, ops: ArchOps, regs: Registers): Stub {
    const stub = new Stub(pid, ops, regs);
    for (;;) {
      const s = stub.wait();
      if (stopped(s) && ptraceEvent(s) === PTRACE_EVENT_STOP) return stub;
      // Nothing else can come first; if it does, drop it without letting the child run.
      if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0) throw errnoError('PTRACE_SYSCALL', errno(), `stub ${pid}`);
    }
  }

  /**
   * Parks the stub for good in a blocking call with no wake-up but a fatal signal
   * (ppoll on no fds, no timeout) and lets it run untraced-by-syscall (PTRACE_CONT).
   * Used for the reaper: pid 1 of a pid namespace that only has to exist.
   */
  park(ppollNr: number): void {
    if (this.sharesMemory)
      throw new StubError('a stub that shares this process memory cannot be parked for good');
    const at = findSyscallInsn(this.ops);
    const regs = this.regs.read(this.pid);
    this.ops.setupInjection(regs, at, ppollNr, [0n, 0n, 0n, 0n, 8n]);
    this.regs.write(this.pid, regs);
    this.regs.writeNr(this.pid, -1);
    if (ptrace(PTRACE_CONT, this.pid, 0, 0) < 0) throw errnoError('PTRACE_CONT', errno(), `stub ${this.pid}`);
    this.dead = true; // from now on the tracer owns it
  }

  /** PTRACE_SEIZE with options; returns 0 or the errno. */
  seize(options: number): number {
    return ptrace(PTRACE_SEIZE, this.pid, 0, options) < 0 ? errno() : 0;
  }

  /** Stops the seized stub (PTRACE_INTERRUPT) and waits for the stop. */
  interrupt(): void {
    if (ptrace(PTRACE_INTERRUPT, this.pid, 0, 0) < 0)
      throw errnoError('PTRACE_INTERRUPT', errno(), `stub ${this.pid}`);
    for (;;) {
      const s = this.wait();
      if (stopped(s) && ptraceEvent(s) === PTRACE_EVENT_STOP) return;
      // A signal reached the stub before the interrupt: discard it (no Node handler may run here).
      if (ptrace(PTRACE_SYSCALL, this.pid, 0, 0) < 0)
        throw errnoError('PTRACE_SYSCALL', errno(), `stub ${this.pid}`);
    }
  }

  /**
   * Makes the stub execute one native system call and returns its result. Signals
   * that arrive meanwhile are discarded; seccomp and exec stops are stepped over.
   * `onStop` sees every intermediate stop (the probe uses it to learn their order).
   */
  inject(nr: number, args: readonly bigint[], onStop?: (status: number) => void): InjectResult {
    const at = findSyscallInsn(this.ops);
    const regs = this.regs.read(this.pid);
    this.ops.setupInjection(regs, at, nr, args);
    this.regs.write(this.pid, regs);
    this.regs.writeNr(this.pid, -1);
    this.resume();
    let syscallStops = 0;
    let execed = false;
    let child: number | null = null;
    for (;;) {
      const s = this.wait();
      onStop?.(s);
      if (!stopped(s)) continue;
      const sig = stopSig(s);
      const ev = ptraceEvent(s);
      if (sig === (SIGTRAP | 0x80)) {
        syscallStops++;
        if (syscallStops === 2) {
          const after = this.regs.read(this.pid);
          return { ret: this.ops.ret(after, this.ops.nativeAbi), execed, child };
        }
      } else if (sig === SIGTRAP && ev === PTRACE_EVENT_EXEC) {
        execed = true;
      } else if (
        sig === SIGTRAP &&
        (ev === PTRACE_EVENT_FORK || ev === PTRACE_EVENT_VFORK || ev === PTRACE_EVENT_CLONE)
      ) {
        const msg = new BigUint64Array(1);
        if (ptraceBuf(PTRACE_GETEVENTMSG, this.pid, 0, new Uint8Array(msg.buffer)) < 0)
          throw errnoError('PTRACE_GETEVENTMSG', errno(), `stub ${this.pid}`);
        child = Number(msg[0]);
      } else if (sig === SIGTRAP && ev === PTRACE_EVENT_SECCOMP) {
        // Our own injected call passing the newly installed filter.
      } else if (ev === PTRACE_EVENT_STOP) {
        // A group-stop or interrupt during setup: keep going.
      }
      // Any other signal is dropped by resuming with 0.
      this.resume();
    }
  }

  /** SIGKILLs and reaps the stub (idempotent). */
  destroy(): void {
    if (!this.dead) {
      killAndReap(this.pid);
      this.dead = true;
    }
    this.freeStack();
  }

  /** The stub is now the traced program (its execve gave it memory of its own): forget it without killing. */
  release(): void {
    this.dead = true;
    this.freeStack();
  }

  private freeStack(): void {
    this.stack?.free();
    this.stack = null;
  }

  private resume(): void {
    if (ptrace(PTRACE_SYSCALL, this.pid, 0, 0) < 0)
      throw errnoError('PTRACE_SYSCALL', errno(), `stub ${this.pid}`);
  }

  private wait(): number {
    for (;;) {
      const r = waitpid(this.pid, this.status, __WALL);
      if (r < 0) {
        if (errno() === EINTR) continue;
        throw errnoError('waitpid', errno(), `stub ${this.pid}`);
      }
      const s = this.status[0]!;
      if (exited(s) || signaled(s)) {
        this.dead = true;
        throw new StubError(
          exited(s)
            ? `the stub exited with status ${exitStatus(s)}`
            : `the stub was killed by signal ${termSig(s)}`,
        );
      }
      return s;
    }
  }
}
