/**
 * Feature probes: each ptrace/seccomp feature the engine relies on is tried on a
 * throw-away stub and judged by its errno; the kernel version is never consulted.
 * The result is cached per thread of the process (the probe must run on the thread
 * that will trace, since ptrace is per thread; its answers hold for the whole host).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { hostArch } from './arch/index.js';
import {
  ENOSYS,
  PR_SET_NO_NEW_PRIVS,
  PR_SET_SECCOMP,
  PTRACE_EVENT_SECCOMP,
  PTRACE_GET_SYSCALL_INFO,
  PTRACE_GETEVENTMSG,
  PTRACE_O_EXITKILL,
  PTRACE_O_TRACECLONE,
  PTRACE_O_TRACEEXEC,
  PTRACE_O_TRACEFORK,
  PTRACE_O_TRACESECCOMP,
  PTRACE_O_TRACESYSGOOD,
  PTRACE_O_TRACEVFORK,
  PTRACE_SETOPTIONS,
  SECCOMP_MODE_FILTER,
  SIGTRAP,
} from './constants.js';
import { traceFilter } from './filter.js';
import { allocNative, errnoName, pauseAddress, processVmReadv, ptrace, ptraceBuf } from './native.js';
import { ptraceEvent, stopped, stopSig } from './status.js';
import { Stub } from './stub.js';

export type SeccompOrder = 'enter-first' | 'seccomp-first';

export interface Features {
  /** PTRACE_SEIZE works here (3.4). Without it the engine refuses to run. */
  readonly seize: boolean;
  /** errno of the failed PTRACE_SEIZE (EPERM: ptrace is forbidden here), else 0. */
  readonly seizeErrno: number;
  /** PTRACE_O_TRACESECCOMP (3.5). */
  readonly traceSeccomp: boolean;
  /** PTRACE_O_EXITKILL (3.8). Without it every tracee gets PR_SET_PDEATHSIG(SIGKILL). */
  readonly exitKill: boolean;
  /** PTRACE_GET_SYSCALL_INFO (5.3): ABI, nr, args and stop kind without registers. */
  readonly syscallInfo: boolean;
  /** process_vm_readv/writev (3.2) on a tracee. */
  readonly processVm: boolean;
  /** /proc/PID/mem readable for a tracee. */
  readonly procMem: boolean;
  /** close_range(2) (5.9), used to close inherited fds in one call. */
  readonly closeRange: boolean;
  /**
   * Which comes first for a thread resumed with PTRACE_SYSCALL: its syscall-entry
   * stop ('enter-first', 4.8+, where the filter is re-run after the tracer) or the
   * seccomp stop ('seccomp-first', before 4.8). null when seccomp stops do not work.
   */
  readonly seccompOrder: SeccompOrder | null;
  /** SECCOMP_RET_DATA arrives through PTRACE_GETEVENTMSG at a seccomp stop. */
  readonly seccompRetData: boolean;
}

const BASE_OPTIONS =
  PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE;

let cached: Features | null = null;

/** Probes the kernel once (a few ms: one stub, a dozen injected calls) and caches the answer. */
export function probe(): Features {
  if (cached === null) cached = runProbe();
  return cached;
}

/** For tests: forget the cached answer. */
export function resetProbe(): void {
  cached = null;
}

const PROBE_DATA = 0x5eb;

function runProbe(): Features {
  const ops = hostArch();
  // The seccomp program and its sock_fprog, laid out before the clone (see stub.ts), freed after the stub.
  const getppid = ops.inject.getppid;
  const auditArch = [...ops.auditArches.entries()].find(([, abi]) => abi === ops.nativeAbi)![0];
  const filter = traceFilter({ auditArch, trace: [getppid], data: PROBE_DATA });
  const image = allocNative(16 + filter.length);
  const iv = new DataView(image.bytes.buffer, image.bytes.byteOffset, 16);
  iv.setUint16(0, filter.length / 8, true);
  iv.setBigUint64(8, image.address + 16n, true);
  image.bytes.set(filter, 16);

  let stub: Stub;
  try {
    // It never forks or parks: it may share our memory (then it reads the filter from `image`).
    stub = Stub.create(undefined, { shareMemory: true });
  } catch (e) {
    image.free();
    throw e;
  }
  const f = {
    seize: false,
    seizeErrno: 0,
    traceSeccomp: false,
    exitKill: false,
    syscallInfo: false,
    processVm: false,
    procMem: false,
    closeRange: false,
    seccompOrder: null as SeccompOrder | null,
    seccompRetData: false,
  };
  try {
    f.seizeErrno = stub.seize(BASE_OPTIONS);
    f.seize = f.seizeErrno === 0;
    if (!f.seize) return f;
    // PTRACE_SETOPTIONS needs a stopped tracee.
    stub.interrupt();
    f.traceSeccomp = ptrace(PTRACE_SETOPTIONS, stub.pid, 0, BASE_OPTIONS | PTRACE_O_TRACESECCOMP) === 0;
    const opts = BASE_OPTIONS | (f.traceSeccomp ? PTRACE_O_TRACESECCOMP : 0);
    f.exitKill = ptrace(PTRACE_SETOPTIONS, stub.pid, 0, opts | PTRACE_O_EXITKILL) === 0;

    const info = new Uint8Array(88);
    f.syscallInfo = ptraceBuf(PTRACE_GET_SYSCALL_INFO, stub.pid, info.length, info) > 0;

    // Read 16 bytes of libc code from the stub; they must equal ours.
    const mine = Buffer.alloc(16);
    const self = openSync('/proc/self/mem', 'r');
    try {
      readSync(self, mine, 0, 16, pauseAddress as unknown as number);
    } finally {
      closeSync(self);
    }
    const scratch = allocNative(16);
    try {
      const local = new DataView(new ArrayBuffer(16));
      local.setBigUint64(0, scratch.address, true);
      local.setBigUint64(8, 16n, true);
      const remote = new DataView(new ArrayBuffer(16));
      remote.setBigUint64(0, pauseAddress, true);
      remote.setBigUint64(8, 16n, true);
      const n = processVmReadv(stub.pid, new Uint8Array(local.buffer), new Uint8Array(remote.buffer), 1);
      f.processVm = n === 16 && Buffer.from(scratch.bytes).equals(mine);
    } finally {
      scratch.free();
    }
    try {
      const fd = openSync(`/proc/${stub.pid}/mem`, 'r');
      try {
        const theirs = Buffer.alloc(16);
        f.procMem =
          readSync(fd, theirs, 0, 16, pauseAddress as unknown as number) === 16 && theirs.equals(mine);
      } finally {
        closeSync(fd);
      }
    } catch {
      f.procMem = false;
    }

    // close_range on an empty range: 0 where it exists, ENOSYS where not.
    f.closeRange =
      stub.inject(ops.inject.close_range, [0x7ffffff0n, 0x7ffffff1n, 0n]).ret !== -BigInt(ENOSYS);

    if (f.traceSeccomp) {
      const nnp = stub.inject(ops.inject.prctl, [BigInt(PR_SET_NO_NEW_PRIVS), 1n, 0n, 0n, 0n]).ret;
      const sec = stub.inject(ops.inject.prctl, [
        BigInt(PR_SET_SECCOMP),
        BigInt(SECCOMP_MODE_FILTER),
        image.address,
      ]).ret;
      if (nnp === 0n && sec === 0n) {
        let first: SeccompOrder | null = null;
        stub.inject(getppid, [], (s) => {
          if (!stopped(s)) return;
          const isSeccomp = stopSig(s) === SIGTRAP && ptraceEvent(s) === PTRACE_EVENT_SECCOMP;
          if (first === null && stopSig(s) === (SIGTRAP | 0x80)) first = 'enter-first';
          if (first === null && isSeccomp) first = 'seccomp-first';
          if (isSeccomp) {
            const msg = new BigUint64Array(1);
            if (ptraceBuf(PTRACE_GETEVENTMSG, stub.pid, 0, new Uint8Array(msg.buffer)) === 0) {
              f.seccompRetData = msg[0] === BigInt(PROBE_DATA);
            }
          }
        });
        f.seccompOrder = first;
      }
    }
    return f;
  } finally {
    stub.destroy();
    image.free();
  }
}

/** One line per feature, for `sb trace --probe` and error messages. */
export function describeFeatures(f: Features): string[] {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  return [
    `PTRACE_SEIZE: ${f.seize ? 'yes' : `no (${errnoName(f.seizeErrno)})`}`,
    `PTRACE_O_TRACESECCOMP: ${yes(f.traceSeccomp)}`,
    `PTRACE_O_EXITKILL: ${yes(f.exitKill)}`,
    `PTRACE_GET_SYSCALL_INFO: ${yes(f.syscallInfo)}`,
    `process_vm_readv: ${yes(f.processVm)}`,
    `/proc/PID/mem: ${yes(f.procMem)}`,
    `close_range: ${yes(f.closeRange)}`,
    `seccomp stop order: ${f.seccompOrder ?? 'no seccomp stops'}`,
    `SECCOMP_RET_DATA: ${yes(f.seccompRetData)}`,
  ];
}
