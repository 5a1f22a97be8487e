/**
 * The tracer: one thread launches, seizes and waits for every tracee, and turns
 * each stop into a call on a handler. Synchronous by design: ptrace binds a tracee
 * to the thread that attached it, so this object must only be used on the thread
 * that created it (the CLI's main thread, or the Worker of sandbox.ts).
 */
import { actionEffect, emulateStack, type SeccompData } from '@sb/bpf/emulator';
import { type AbiName, type ArchOps, hostArch } from './arch/index.js';
import { viewFromRegs } from './arch/types.js';
import {
  __WALL,
  __WNOTHREAD,
  CLONE_UNTRACED,
  ECHILD,
  EINTR,
  ENOSYS,
  EPERM,
  ESRCH,
  PR_SET_PDEATHSIG,
  PTRACE_CONT,
  PTRACE_EVENT_CLONE,
  PTRACE_EVENT_EXEC,
  PTRACE_EVENT_FORK,
  PTRACE_EVENT_SECCOMP,
  PTRACE_EVENT_STOP,
  PTRACE_EVENT_VFORK,
  PTRACE_GET_SYSCALL_INFO,
  PTRACE_GETEVENTMSG,
  PTRACE_LISTEN,
  PTRACE_SYSCALL,
  PTRACE_SYSCALL_INFO_ENTRY,
  PTRACE_SYSCALL_INFO_EXIT,
  PTRACE_SYSCALL_INFO_SECCOMP,
  SIGKILL,
  SIGSTOP,
  SIGTRAP,
  SIGTSTP,
  SIGTTIN,
  SIGTTOU,
  WNOHANG,
} from './constants.js';
import { engineFilter } from './filter.js';
import { engineFilterAbis, LaunchError, type LaunchOptions, type LaunchTimings, launch } from './launch.js';
import { TraceeMemory } from './memory.js';
import { ErrnoError, errno, errnoError, kill, ptrace, ptraceBuf, waitpid } from './native.js';
import { type Features, probe } from './probe.js';
import { Registers } from './regs.js';
import {
  coreDumped,
  exited,
  exitStatus,
  ptraceEvent,
  signaled,
  stopped,
  stopSig,
  termSig,
} from './status.js';

/** How a process or thread ended. */
export interface ExitStatus {
  /** Exit code (WIFEXITED), else null. */
  readonly code: number | null;
  /** Terminating signal (WIFSIGNALED), else null. */
  readonly signal: number | null;
  readonly core: boolean;
}

/** The shell convention: the exit code, or 128 + the signal number. */
export function shellStatus(s: ExitStatus): number {
  return s.code ?? 128 + (s.signal ?? 0);
}

export interface SyscallStop {
  readonly tid: number;
  /** ABI of this call; null when it cannot be told (the engine then denies it). */
  readonly abi: AbiName | null;
  readonly nr: number;
  readonly args: readonly bigint[];
  readonly ip: bigint;
  /** SECCOMP_RET_DATA of the filter's verdict. */
  readonly data: number;
}

export type Verdict =
  /** Let it run, optionally with changed arguments; `exit: true` asks for syscallExit. */
  | { readonly action: 'allow'; readonly args?: Readonly<Record<number, bigint>>; readonly exit?: boolean }
  /** Skip it; the caller sees -1 with this errno. */
  | { readonly action: 'deny'; readonly errno: number }
  /** Skip it; the caller sees this raw return value. */
  | { readonly action: 'return'; readonly value: bigint }
  /** SIGKILL the whole thread group. */
  | { readonly action: 'kill' };

export interface SyscallExit {
  readonly tid: number;
  readonly abi: AbiName | null;
  readonly nr: number;
  /** Arguments as read at the entry (seccomp) stop. */
  readonly args: readonly bigint[];
  /** Raw return value (-errno on failure). */
  readonly ret: bigint;
  /** The engine skipped the call (deny / return / unknown ABI). */
  readonly skipped: boolean;
}

export interface TraceHandler {
  /** The launched program, once, before it runs on: it has no spawn event of its own. */
  launched?(pid: number): void;
  /** At each seccomp stop (SECCOMP_RET_TRACE). Default: allow. */
  syscall?(stop: SyscallStop, tracer: Tracer): Verdict | undefined;
  /** At the exit of calls whose verdict asked for it; may return a replacement value. */
  syscallExit?(exit: SyscallExit, tracer: Tracer): bigint | undefined;
  /** A new traced thread or process (its first stop, or its creator's event, whichever comes first). */
  spawn?(ev: { tid: number; parent: number | null; kind: 'fork' | 'vfork' | 'clone' | 'unknown' }): void;
  exec?(ev: { tid: number; oldTid: number }, tracer: Tracer): void;
  /** A signal about to be delivered; return another number to replace it, 0 to suppress. */
  signal?(ev: { tid: number; signal: number }): number | undefined;
  exit?(ev: { tid: number; status: ExitStatus }): void;
}

/**
 * How the tracer learns about system calls. 'seccomp': the launch installs the
 * filter and only the calls it traps stop (PTRACE_O_TRACESECCOMP, 3.5+).
 * 'syscall-stops': no filter is installed; every call stops at its entry and
 * exit (PTRACE_SYSCALL) and the tracer runs the filter itself on each entry, so
 * the same calls reach the handler and the filter's ERRNO/KILL verdicts still
 * apply. For kernels without seccomp filters; much slower.
 */
export type TraceMode = 'seccomp' | 'syscall-stops';

/** SB_FORCE_SYSCALL_STOPS=1 makes every tracer use syscall-stop tracing (tests, benchmarks). */
export function syscallStopsForced(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.SB_FORCE_SYSCALL_STOPS === '1';
}

/** The mode a tracer uses with these features: seccomp stops wherever they work. */
export function traceMode(
  f: Features,
  requested: 'auto' | TraceMode = 'auto',
  env: Readonly<Record<string, string | undefined>> = process.env,
): TraceMode {
  if (requested !== 'auto') return requested;
  if (syscallStopsForced(env)) return 'syscall-stops';
  return f.traceSeccomp && f.seccompOrder !== null ? 'seccomp' : 'syscall-stops';
}

export interface TracerOptions {
  /** Override probed features (tests use this to run pre-3.5 / pre-3.8 / pre-5.3 code paths). */
  readonly features?: Partial<Features>;
  /** Default 'auto': see traceMode(). */
  readonly mode?: 'auto' | TraceMode;
  /** When set to non-zero (Atomics.store), the tracer SIGKILLs every tracee at its next wake-up. */
  readonly abort?: Int32Array;
}

export interface RunResult {
  /** Exit status of the launched program's process. */
  readonly status: ExitStatus;
  /** Stops handled (all kinds). */
  readonly stops: number;
}

type Awaiting = 'none' | 'enter' | 'exit';

interface ThreadState {
  awaiting: Awaiting;
  entry: { abi: AbiName | null; nr: number; args: readonly bigint[] } | null;
  override: bigint | null;
  skipped: boolean;
  wantExit: boolean;
  /** Call the handler's syscallExit at the exit (false for calls the filter alone denied). */
  notify: boolean;
  /** Between a syscall-entry and its exit stop (syscall-stop mode without PTRACE_GET_SYSCALL_INFO). */
  inSyscall: boolean;
  /** Seen through its creator's event. */
  announced: boolean;
  /** Its first stop has been handled (false for a new tracee until then). */
  started: boolean;
}

const GROUP_STOP_SIGNALS = new Set([SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU]);
const X32_BIT = 0x40000000;

type Program = readonly { code: number; jt: number; jf: number; k: number }[];

export class Tracer {
  readonly features: Features;
  readonly mode: TraceMode;
  readonly ops: ArchOps;
  readonly memory: TraceeMemory;
  private readonly regs: Registers;
  private readonly threads = new Map<number, ThreadState>();
  private readonly status = new Int32Array(1);
  private readonly info = new Uint8Array(88);
  private readonly infoView = new DataView(this.info.buffer);
  private readonly msg = new BigUint64Array(1);
  private readonly msgBytes = new Uint8Array(this.msg.buffer);
  private readonly abort: Int32Array | undefined;
  private root = -1;
  private rootStatus: ExitStatus | null = null;
  private killed = false;
  private stops = 0;
  private failure: unknown = null;
  private readonly parents = new Map<number, number>();
  /** syscall-stop mode: the filters the launch would have installed, in installation order. */
  private filters: Program[] = [];
  private readonly auditArchOf = new Map<AbiName, number>();
  lastLaunch: LaunchTimings | null = null;
  /** fds the launch moved into this process (setup `take-fd` steps). */
  launchedFds: Readonly<Record<string, number>> = {};
  private reaper: number | null = null;

  constructor(opts: TracerOptions = {}) {
    this.ops = hostArch();
    this.features = { ...probe(), ...opts.features };
    this.memory = new TraceeMemory(
      this.features.processVm ? 'process_vm' : this.features.procMem ? 'proc_mem' : 'peek',
    );
    this.regs = new Registers(this.ops);
    this.abort = opts.abort;
    this.mode = traceMode(this.features, opts.mode ?? 'auto');
    for (const [arch, abi] of this.ops.auditArches) this.auditArchOf.set(abi, arch);
    // x32 shares x86_64's AUDIT_ARCH; its numbers carry the x32 bit.
    const x86 = this.auditArchOf.get('x86_64');
    if (x86 !== undefined && !this.auditArchOf.has('x32')) this.auditArchOf.set('x32', x86);
  }

  /** Starts a program, stopped after its execve; `run` lets it go. Returns its pid. */
  launch(opts: LaunchOptions): number {
    if (this.root !== -1) throw new Error('a Tracer runs one launched program; create another Tracer');
    const { pid, timings, fds, reaper } =
      this.mode === 'syscall-stops' ? this.launchWithoutFilter(opts) : launch(opts, this.features, this.ops);
    this.lastLaunch = timings;
    this.launchedFds = fds;
    this.root = pid;
    this.threads.set(pid, newThread(true, true));
    if (reaper !== null) {
      // pid 1 of the sandbox's pid namespace, parked: it ends (and takes the
      // namespace with it) when the program does.
      this.reaper = reaper;
      this.threads.set(reaper, newThread(true, true));
    }
    return pid;
  }

  /** syscall-stop mode: nothing is installed; the tracer runs the engine's filter and the caller's. */
  private launchWithoutFilter(opts: LaunchOptions): ReturnType<typeof launch> {
    const { filter, ...rest } = opts;
    this.filters =
      opts.engineFilter === false ? [] : [decodeProgram(engineFilter(engineFilterAbis(this.ops)))];
    if (filter !== undefined) {
      if (filter.length === 0 || filter.length % 8 !== 0 || filter.length / 8 > 4096) {
        throw new LaunchError(
          'seccomp filter',
          22,
          `${filter.length} bytes is not 1..4096 sock_filter entries`,
        );
      }
      this.filters.push(decodeProgram(filter));
    }
    return launch(rest, { ...this.features, traceSeccomp: false }, this.ops);
  }

  /** The tid whose fork/vfork/clone created `tid`, once its event has been seen. */
  parentOf(tid: number): number | undefined {
    return this.parents.get(tid);
  }

  /** Every thread id currently traced. */
  get tids(): number[] {
    return [...this.threads.keys()];
  }

  /** SIGKILLs every traced thread group (kill(2) on a thread id kills its group). */
  killAll(): void {
    this.killed = true;
    for (const tid of this.threads.keys()) kill(tid, SIGKILL);
  }

  /**
   * Runs until no tracee is left (like strace -f, descendants that outlive the
   * program are followed to their end). Returns the program's exit status. If a
   * handler throws (or a ptrace request fails), every tracee is killed and reaped
   * and the first error is thrown.
   */
  run(handler: TraceHandler = {}): RunResult {
    if (this.root === -1) throw new Error('launch a program first');
    handler.launched?.(this.root);
    this.resume(this.root, 0);
    const batch: [tid: number, status: number][] = [];
    for (;;) {
      const tid = waitpid(-1, this.status, __WALL | __WNOTHREAD);
      if (tid < 0) {
        const e = errno();
        if (e === EINTR) continue;
        if (e === ECHILD) break;
        throw errnoError('waitpid', e);
      }
      // waitpid(-1) reports the first stopped tracee in list order: a few busy threads
      // that stop again at once would starve the others (a thread group's leader could
      // never reach its exit_group). Take every pending report, then handle each once.
      batch.push([tid, this.status[0]!]);
      for (;;) {
        const more = waitpid(-1, this.status, __WALL | __WNOTHREAD | WNOHANG);
        if (more <= 0) break;
        batch.push([more, this.status[0]!]);
      }
      for (const [t, status] of batch) this.dispatch(t, status, handler);
      batch.length = 0;
    }
    if (this.failure !== null) throw this.failure;
    return { status: this.rootStatus ?? { code: null, signal: SIGKILL, core: false }, stops: this.stops };
  }

  private dispatch(tid: number, status: number, handler: TraceHandler): void {
    this.stops++;
    if (this.abort !== undefined && !this.killed && Atomics.load(this.abort, 0) !== 0) this.killAll();
    try {
      this.handle(tid, status, handler);
    } catch (e) {
      if (e instanceof ErrnoError && e.errno === ESRCH) {
        // The thread left its stop while we inspected it: only SIGKILL does that (a
        // sibling's exit_group, a kill from outside), so its call never runs. Make
        // sure it dies, and let its exit report arrive through waitpid.
        kill(tid, SIGKILL);
        return;
      }
      // A throwing handler or a failed ptrace request: fail closed. Kill every
      // tracee, reap them all, then report the first error.
      if (this.failure === null) this.failure = e;
      this.killAll();
    }
  }

  private handle(tid: number, s: number, h: TraceHandler): void {
    if (exited(s) || signaled(s)) {
      this.threads.delete(tid);
      const status: ExitStatus = exited(s)
        ? { code: exitStatus(s), signal: null, core: false }
        : { code: null, signal: termSig(s), core: coreDumped(s) };
      if (tid === this.root) {
        this.rootStatus = status;
        if (this.reaper !== null) kill(this.reaper, SIGKILL);
      }
      h.exit?.({ tid, status });
      this.parents.delete(tid);
      return;
    }
    if (!stopped(s)) return;
    let t = this.threads.get(tid);
    if (t === undefined) {
      // A new tracee's first stop can come before its creator's fork/clone event.
      t = newThread(false);
      this.threads.set(tid, t);
      h.spawn?.({ tid, parent: null, kind: 'unknown' });
    }
    if (this.killed) {
      kill(tid, SIGKILL);
      this.resume(tid, 0);
      return;
    }
    const sig = stopSig(s);
    const event = ptraceEvent(s);
    if (!t.started) {
      t.started = true;
      if (event === PTRACE_EVENT_STOP && !this.onNewTracee(tid)) return;
    }
    if (sig === (SIGTRAP | 0x80)) {
      if (this.mode === 'syscall-stops') this.onEntryOrExit(tid, t, h);
      else this.onSyscallStop(tid, t, h);
      return;
    }
    if (sig === SIGTRAP && event !== 0) {
      switch (event) {
        case PTRACE_EVENT_SECCOMP:
          this.onSeccompStop(tid, t, h);
          return;
        case PTRACE_EVENT_FORK:
        case PTRACE_EVENT_VFORK:
        case PTRACE_EVENT_CLONE: {
          const child = Number(this.eventMsg(tid));
          if (child > 0) {
            this.parents.set(child, tid);
            const known = this.threads.get(child);
            if (known === undefined) {
              this.threads.set(child, newThread(true));
              h.spawn?.({ tid: child, parent: tid, kind: eventKind(event) });
            } else if (!known.announced) {
              known.announced = true;
            }
          }
          this.resume(tid, 0);
          return;
        }
        case PTRACE_EVENT_EXEC: {
          const oldTid = Number(this.eventMsg(tid));
          if (oldTid !== tid && oldTid > 0) {
            // Exec from a non-leader thread: it now has the leader's id; the old
            // leader vanishes without an exit report.
            const moved = this.threads.get(oldTid);
            this.threads.delete(oldTid);
            if (moved !== undefined) {
              this.threads.set(tid, moved);
            }
          }
          h.exec?.({ tid, oldTid }, this);
          this.resume(tid, 0);
          return;
        }
        case PTRACE_EVENT_STOP:
          break;
        default:
          this.resume(tid, 0);
          return;
      }
    }
    if (event === PTRACE_EVENT_STOP) {
      if (GROUP_STOP_SIGNALS.has(sig)) {
        // Group-stop of a seized tracee: stay stopped but let SIGCONT through.
        if (ptrace(PTRACE_LISTEN, tid, 0, 0) < 0 && errno() !== ESRCH)
          throw errnoError('PTRACE_LISTEN', errno());
        return;
      }
      // PTRACE_INTERRUPT, a new tracee's first stop, or the end of a listened group-stop.
      this.resume(tid, 0);
      return;
    }
    // Signal-delivery-stop: deliver the signal (or what the handler says).
    const deliver = h.signal?.({ tid, signal: sig }) ?? sig;
    this.resume(tid, deliver);
  }

  private onSeccompStop(tid: number, t: ThreadState, h: TraceHandler): void {
    this.onTrapped(tid, t, h, this.readStop(tid, true));
  }

  /**
   * A trapped call (seccomp stop, or an entry the filter traces in syscall-stop
   * mode): the engine's rules, then the handler, unless `fixed` already decided.
   */
  private onTrapped(tid: number, t: ThreadState, h: TraceHandler, stop: SyscallStop, fixed?: Verdict): void {
    t.entry = { abi: stop.abi, nr: stop.nr, args: stop.args };
    t.override = null;
    t.skipped = false;
    t.wantExit = false;
    t.notify = fixed === undefined;
    let verdict: Verdict | undefined;
    if (stop.abi === null) {
      verdict = { action: 'deny', errno: ENOSYS }; // unknown ABI: fail closed
    } else if (fixed !== undefined) {
      verdict = fixed;
    } else {
      verdict = this.engineRule(stop) ?? h.syscall?.(stop, this);
      verdict = this.engineRewrite(stop, verdict);
    }
    const action = verdict?.action ?? 'allow';
    if (action === 'kill') {
      kill(tid, SIGKILL);
      this.resume(tid, 0);
      return;
    }
    if (verdict !== undefined && (verdict.action === 'deny' || verdict.action === 'return')) {
      const value = verdict.action === 'deny' ? -BigInt(verdict.errno) : verdict.value;
      this.skip(tid, stop.abi, value);
      t.override = value;
      t.skipped = true;
      t.wantExit = true;
    } else if (verdict?.action === 'allow') {
      if (verdict.args !== undefined && stop.abi !== null) {
        const regs = this.regs.read(tid);
        for (const [i, v] of Object.entries(verdict.args)) this.ops.setArg(regs, stop.abi, Number(i), v);
        this.regs.write(tid, regs);
        const args = [...stop.args];
        for (const [i, v] of Object.entries(verdict.args)) args[Number(i)] = v;
        t.entry = { ...t.entry, args };
      }
      t.wantExit = verdict.exit === true;
    }
    if (this.mode === 'syscall-stops') {
      // The exit stop comes anyway; t.wantExit says whether it has work.
      t.awaiting = 'exit';
    } else if (t.wantExit) {
      // Before 4.8 the syscall-entry stop follows the seccomp stop, except for a call
      // the tracer skipped (seccomp then returns -1 and the entry report is skipped
      // too); from 4.8 on, the exit stop comes next. PTRACE_GET_SYSCALL_INFO says
      // which when present.
      t.awaiting = this.features.seccompOrder === 'seccomp-first' && !t.skipped ? 'enter' : 'exit';
    } else {
      t.awaiting = 'none';
    }
    this.resume(tid, 0);
  }

  private onSyscallStop(tid: number, t: ThreadState, h: TraceHandler): void {
    let kind: Awaiting = t.awaiting;
    if (this.features.syscallInfo) {
      const op = this.syscallInfo(tid);
      kind = op === PTRACE_SYSCALL_INFO_ENTRY ? 'enter' : op === PTRACE_SYSCALL_INFO_EXIT ? 'exit' : kind;
    }
    if (kind === 'enter') {
      // The old order's entry stop after a seccomp stop: the exit comes next. A
      // skipped call keeps its number -1 here (set at the seccomp stop).
      t.awaiting = 'exit';
      this.resume(tid, 0);
      return;
    }
    if (kind === 'exit') this.atExit(tid, t, h);
    t.awaiting = 'none';
    t.entry = null;
    t.override = null;
    this.resume(tid, 0);
  }

  /** The exit of a call the engine decided: the skipped call's value, then the handler's say. */
  private atExit(tid: number, t: ThreadState, h: TraceHandler): void {
    if (t.entry === null) return;
    const abi = t.entry.abi;
    let ret: bigint;
    const regs = this.regs.read(tid);
    if (t.override !== null && abi !== null) {
      this.ops.setRet(regs, abi, t.override);
      this.regs.write(tid, regs);
      ret = t.override;
    } else {
      ret = abi === null ? -BigInt(ENOSYS) : this.ops.ret(regs, abi);
    }
    if (!t.notify) return;
    const replaced = h.syscallExit?.(
      { tid, abi, nr: t.entry.nr, args: t.entry.args, ret, skipped: t.skipped },
      this,
    );
    if (replaced !== undefined && abi !== null && replaced !== ret) {
      this.ops.setRet(regs, abi, replaced);
      this.regs.write(tid, regs);
    }
  }

  /**
   * syscall-stop mode: every call stops at its entry and its exit. Which one this
   * is comes from PTRACE_GET_SYSCALL_INFO (5.3+), else from the per-thread toggle
   * (a new tracee starts outside a call, the launched program at execve's exit; the
   * exec and fork events between an entry and its exit do not flip it).
   */
  private onEntryOrExit(tid: number, t: ThreadState, h: TraceHandler): void {
    let entering = !t.inSyscall;
    let op = -1;
    if (this.features.syscallInfo) {
      op = this.syscallInfo(tid);
      if (op === PTRACE_SYSCALL_INFO_ENTRY) entering = true;
      else if (op === PTRACE_SYSCALL_INFO_EXIT) entering = false;
    }
    if (!entering) {
      t.inSyscall = false;
      if (t.wantExit) this.atExit(tid, t, h);
      t.awaiting = 'none';
      t.entry = null;
      t.override = null;
      t.wantExit = false;
      this.resume(tid, 0);
      return;
    }
    t.inSyscall = true;
    const stop = this.readStop(tid, false, op);
    if (stop.abi === null) {
      this.onTrapped(tid, t, h, stop); // unknown ABI: denied there (ENOSYS)
      return;
    }
    const effect = actionEffect(this.filterAction(stop));
    switch (effect.kind) {
      case 'allow':
      case 'log':
        // Not trapped: it runs as it would under the filter; the handler never sees it.
        t.entry = null;
        t.override = null;
        t.skipped = false;
        t.wantExit = false;
        t.awaiting = 'exit';
        this.resume(tid, 0);
        return;
      case 'trace':
        this.onTrapped(tid, t, h, { ...stop, data: effect.data });
        return;
      case 'errno':
        this.onTrapped(tid, t, h, stop, { action: 'deny', errno: effect.data });
        return;
      case 'user_notif':
        // No listener can exist for a filter that was never installed: the kernel says ENOSYS.
        this.onTrapped(tid, t, h, stop, { action: 'deny', errno: ENOSYS });
        return;
      default:
        // KILL_PROCESS, KILL_THREAD, TRAP, an unknown action or a faulting program:
        // the call never runs and the process dies (SIGKILL: a SIGSYS could be caught).
        this.onTrapped(tid, t, h, stop, { action: 'kill' });
        return;
    }
  }

  /** The filters' verdict for a call, as seccomp_run_filters() would compute it. */
  private filterAction(stop: SyscallStop): number {
    const arch = stop.abi === null ? undefined : this.auditArchOf.get(stop.abi);
    if (arch === undefined) return 0x80000000; // SECCOMP_RET_KILL_PROCESS
    const data: SeccompData = { nr: stop.nr, arch, ip: stop.ip, args: stop.args };
    return emulateStack(this.filters, data).action;
  }

  /** Rules the engine applies before any handler: ptrace must not be escaped. */
  private engineRule(stop: SyscallStop): Verdict | undefined {
    const c = stop.abi === null ? undefined : this.ops.clone[stop.abi];
    // clone3 passes its flags in memory another thread could change after we read
    // them: refuse it, so libc falls back to clone(2) whose flags are in a register.
    if (c !== undefined && stop.nr === c.clone3) return { action: 'deny', errno: ENOSYS };
    return undefined;
  }

  /** Strips CLONE_UNTRACED from clone(2) whatever the handler said. */
  private engineRewrite(stop: SyscallStop, v: Verdict | undefined): Verdict | undefined {
    const c = stop.abi === null ? undefined : this.ops.clone[stop.abi];
    if (c === undefined || stop.nr !== c.clone) return v;
    if (v !== undefined && v.action !== 'allow') return v;
    const flags = v?.args?.[0] ?? stop.args[0] ?? 0n;
    if ((flags & BigInt(CLONE_UNTRACED)) === 0n) return v;
    return {
      action: 'allow',
      exit: v?.exit ?? false,
      args: { ...v?.args, 0: flags & ~BigInt(CLONE_UNTRACED) },
    };
  }

  /** Makes the kernel skip the current call and return `value`. */
  private skip(tid: number, abi: AbiName | null, value: bigint): void {
    const regs = this.regs.read(tid);
    const a = abi ?? this.ops.nativeAbi;
    if (this.ops.nrInImage || abi !== null) {
      try {
        this.ops.setNr(regs, a, -1);
        this.ops.setRet(regs, a, value);
      } catch {
        // Image of another ABI than expected: the number write below still skips it.
      }
    }
    this.regs.write(tid, regs);
    this.regs.writeNr(tid, -1);
  }

  /** Reads the syscall at a seccomp stop: PTRACE_GET_SYSCALL_INFO, else registers. */
  private readStop(tid: number, seccomp: boolean, known = -1): SyscallStop {
    if (this.features.syscallInfo) {
      const op = known >= 0 ? known : this.syscallInfo(tid);
      if (op === PTRACE_SYSCALL_INFO_SECCOMP || op === PTRACE_SYSCALL_INFO_ENTRY) {
        const v = this.infoView;
        const auditArch = v.getUint32(4, true);
        const nrRaw = v.getBigUint64(24, true);
        const nr = Number(BigInt.asIntN(32, nrRaw));
        let abi = this.ops.auditArches.get(auditArch) ?? null;
        if (abi === 'x86_64' && (nr & X32_BIT) !== 0) abi = 'x32';
        const args: bigint[] = [];
        for (let i = 0; i < 6; i++) {
          const a = v.getBigUint64(32 + i * 8, true);
          args.push(abi === 'i386' || abi === 'arm' ? BigInt.asUintN(32, a) : a);
        }
        const data = op === PTRACE_SYSCALL_INFO_SECCOMP ? v.getUint32(80, true) & 0xffff : -1;
        return { tid, abi, nr, args, ip: v.getBigUint64(8, true), data };
      }
    }
    const regs = this.regs.read(tid);
    const need = this.ops.insnBytesNeeded(regs);
    let insn: Uint8Array | null = null;
    if (need > 0) {
      try {
        insn = this.memory.read(tid, this.ops.ip(regs) - BigInt(need), need);
      } catch {
        insn = null; // unreadable: ABI unknown, denied
      }
    }
    const view = viewFromRegs(this.ops, regs, insn);
    const data = seccomp ? Number(this.eventMsg(tid) & 0xffffn) : -1;
    return { tid, abi: view.abi, nr: view.nr, args: view.args, ip: view.ip, data };
  }

  private syscallInfo(tid: number): number {
    if (ptraceBuf(PTRACE_GET_SYSCALL_INFO, tid, this.info.length, this.info) <= 0) return -1;
    return this.info[0]!;
  }

  private eventMsg(tid: number): bigint {
    this.msg[0] = 0n;
    if (ptraceBuf(PTRACE_GETEVENTMSG, tid, 0, this.msgBytes) < 0) return 0n;
    return this.msg[0]!;
  }

  private resume(tid: number, sig: number): void {
    const t = this.threads.get(tid);
    const req =
      this.mode === 'syscall-stops' || (t !== undefined && t.awaiting !== 'none')
        ? PTRACE_SYSCALL
        : PTRACE_CONT;
    if (ptrace(req, tid, 0, sig) < 0) {
      const e = errno();
      // ESRCH: it was killed meanwhile; its exit report follows.
      if (e !== ESRCH)
        throw errnoError(req === PTRACE_CONT ? 'PTRACE_CONT' : 'PTRACE_SYSCALL', e, `tid ${tid}`);
    }
  }

  /**
   * Without PTRACE_O_EXITKILL, each new tracee gets PR_SET_PDEATHSIG(SIGKILL), so
   * the tree dies link by link when the tracer does. Injected at its first stop,
   * before it runs: it sits just after its fork/clone syscall instruction.
   */
  private onNewTracee(tid: number): boolean {
    if (this.features.exitKill) return true;
    const r = this.injectAtSyscallReturn(tid, this.ops.inject.prctl, [
      BigInt(PR_SET_PDEATHSIG),
      BigInt(SIGKILL),
    ]);
    if (r === 0n) return true;
    // Could not arm it: a tracee that might outlive us is not acceptable.
    kill(tid, SIGKILL);
    this.resume(tid, 0);
    return false;
  }

  /**
   * Runs one native syscall in a tracee stopped right after a syscall instruction
   * (its instruction pointer follows one), then restores its registers.
   */
  private injectAtSyscallReturn(tid: number, nr: number, args: readonly bigint[]): bigint {
    const saved = this.regs.read(tid);
    const backup = new Uint8Array(saved.byteLength);
    backup.set(new Uint8Array(saved.buffer, saved.byteOffset, saved.byteLength));
    const insnLen = this.ops.syscallInsn.length;
    const at = this.ops.ip(saved) - BigInt(insnLen);
    let ok = false;
    try {
      ok = Buffer.from(this.memory.read(tid, at, insnLen)).equals(Buffer.from(this.ops.syscallInsn));
    } catch {
      ok = false;
    }
    if (!ok || this.ops.abiOf(saved, this.ops.syscallInsn) !== this.ops.nativeAbi) return -BigInt(EPERM);
    this.ops.setupInjection(saved, at, nr, args);
    this.regs.write(tid, saved);
    this.regs.writeNr(tid, -1);
    let ret = -BigInt(EPERM);
    let stops = 0;
    if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0) return -BigInt(errno());
    for (;;) {
      const r = waitpid(tid, this.status, __WALL);
      if (r < 0) {
        if (errno() === EINTR) continue;
        return -BigInt(errno());
      }
      const s = this.status[0]!;
      if (!stopped(s)) {
        this.threads.delete(tid);
        return -BigInt(ESRCH);
      }
      if (stopSig(s) === (SIGTRAP | 0x80) && ++stops === 2) {
        ret = this.ops.ret(this.regs.read(tid), this.ops.nativeAbi);
        break;
      }
      ptrace(PTRACE_SYSCALL, tid, 0, 0);
    }
    const restore = new DataView(backup.buffer);
    this.regs.write(tid, restore);
    return ret;
  }
}

function newThread(announced: boolean, started = false): ThreadState {
  return {
    awaiting: 'none',
    entry: null,
    override: null,
    skipped: false,
    wantExit: false,
    notify: true,
    inSyscall: false,
    announced,
    started,
  };
}

function eventKind(event: number): 'fork' | 'vfork' | 'clone' {
  return event === PTRACE_EVENT_FORK ? 'fork' : event === PTRACE_EVENT_VFORK ? 'vfork' : 'clone';
}

/** sock_filter bytes (host order, little-endian on the machines sb supports) to instructions. */
function decodeProgram(bytes: Uint8Array): Program {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: { code: number; jt: number; jf: number; k: number }[] = [];
  for (let at = 0; at + 8 <= bytes.length; at += 8) {
    out.push({
      code: v.getUint16(at, true),
      jt: v.getUint8(at + 2),
      jf: v.getUint8(at + 3),
      k: v.getUint32(at + 4, true),
    });
  }
  return out;
}
