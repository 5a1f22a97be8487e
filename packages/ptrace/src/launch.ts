/**
 * Launching a program under the tracer: stub (see stub.ts) -> seize -> injected
 * setup calls -> execve. Nothing of the target runs before the filter, the limits
 * and the stdio are in place; any failed step kills the stub and names the step.
 */
import { accessSync, constants as fsConstants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { syscallByName } from '@sb/syscalls';
import { changesMemory } from './address-space.js';
import type { ArchOps } from './arch/types.js';
import {
  PR_SET_NO_NEW_PRIVS,
  PR_SET_PDEATHSIG,
  PR_SET_SECCOMP,
  PTRACE_O_EXITKILL,
  PTRACE_O_TRACECLONE,
  PTRACE_O_TRACEEXEC,
  PTRACE_O_TRACEFORK,
  PTRACE_O_TRACESECCOMP,
  PTRACE_O_TRACESYSGOOD,
  PTRACE_O_TRACEVFORK,
  SECCOMP_MODE_FILTER,
  SIGCHLD,
  SIGKILL,
} from './constants.js';
import { engineFilter } from './filter.js';
import { Image } from './image.js';
import { TraceeMemory } from './memory.js';
import { closeFd, errnoName } from './native.js';
import type { Features } from './probe.js';
import type { SetupProgram } from './setup.js';
import {
  type PreparedSetup,
  prepareSetup,
  runSetup,
  type SetupContext,
  SetupStepError,
} from './setup-run.js';
import { killAndReap, Stub } from './stub.js';

/** Where a child fd comes from: this process's fd of the same number, /dev/null, or a given fd. */
export type StdioSpec = 'inherit' | 'ignore' | number;

export const RLIMITS = {
  cpu: 0,
  fsize: 1,
  data: 2,
  stack: 3,
  core: 4,
  rss: 5,
  nproc: 6,
  nofile: 7,
  memlock: 8,
  as: 9,
  locks: 10,
  sigpending: 11,
  msgqueue: 12,
  nice: 13,
  rtprio: 14,
  rttime: 15,
} as const;
export type RlimitName = keyof typeof RLIMITS;
export const RLIM_INFINITY = 0xffffffffffffffffn;

export interface LaunchOptions {
  /** argv[0] is the program: a path, or a name looked up in the child's PATH like execvp. */
  readonly argv: readonly string[];
  /** The program file when it differs from argv[0]. */
  readonly file?: string;
  /** Environment: default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Child fds 0..n-1 (default inherit 0, 1, 2). Every other fd is closed. */
  readonly stdio?: readonly StdioSpec[];
  readonly umask?: number;
  readonly rlimits?: Readonly<Partial<Record<RlimitName, { soft: bigint | number; hard: bigint | number }>>>;
  /** setsid() in the child: a new session and process group (no controlling terminal). */
  readonly newSession?: boolean;
  /** PR_SET_NO_NEW_PRIVS (default true; always set when a filter is given). */
  readonly noNewPrivs?: boolean;
  /** A seccomp program (struct sock_filter array) installed right before execve. */
  readonly filter?: Uint8Array;
  /**
   * Extra steps in the stub (namespaces, Landlock, ...). With `early` steps the
   * program name is looked up in PATH inside the sandbox (the root may differ).
   */
  readonly setup?: SetupProgram;
  /** Install the engine's clone-tracking filter (default true where seccomp stops work). */
  readonly engineFilter?: boolean;
  /**
   * Called on the tracer thread as soon as a `take-fd` step has moved an fd here,
   * before the launch goes on (a seccomp listener must be served before the execve
   * its filter traps). Not structured-cloneable: `spawn` sets it for you.
   */
  readonly onFd?: (name: string, fd: number) => void;
}

/** A launch step failed; the stub has been killed. */
export class LaunchError extends Error {
  readonly step: string;
  readonly errno: number;
  /** What the failure means, where the step knows (e.g. which kernel feature is missing). */
  readonly detail: string;
  constructor(step: string, errnum: number, detail = '') {
    super(
      `launch failed at ${step}${detail ? ` (${detail})` : ''}: ${errnum ? `${errnoName(errnum)} (${errnum})` : 'error'}`,
    );
    this.name = 'LaunchError';
    this.step = step;
    this.errno = errnum;
    this.detail = detail;
  }
}

const ENOENT = 2;
const ENOTDIR = 20;
const EACCES = 13;
const EINVAL = 22;
const EBADF = 9;
const F_DUPFD = 0;
const O_RDWR = 2;
const AT_FDCWD = -100n;
const SIG_SETMASK = 2n;

/** Resolves the program like execvp: a name without '/' is searched in PATH. */
export function resolveProgram(
  name: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): string {
  if (name === '') throw new LaunchError('resolve program', ENOENT, 'empty program name');
  if (name.includes('/')) return isAbsolute(name) ? name : resolve(cwd, name);
  const path = env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  let denied = false;
  for (const dir of path.split(delimiter)) {
    const candidate = resolve(cwd, join(dir === '' ? '.' : dir, name));
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EACCES') denied = true;
    }
  }
  throw new LaunchError('resolve program', denied ? EACCES : ENOENT, `${name} not found in PATH`);
}

export function ptraceOptions(f: Features): number {
  return (
    PTRACE_O_TRACESYSGOOD |
    PTRACE_O_TRACEEXEC |
    PTRACE_O_TRACEFORK |
    PTRACE_O_TRACEVFORK |
    PTRACE_O_TRACECLONE |
    (f.traceSeccomp ? PTRACE_O_TRACESECCOMP : 0) |
    (f.exitKill ? PTRACE_O_EXITKILL : 0)
  );
}

export interface LaunchTimings {
  /** ms spent in clone() of the stub. */
  readonly clone: number;
  /** ms from the start of launch until the target's execve returned. */
  readonly total: number;
  /** Number of system calls injected. */
  readonly injected: number;
  /** The stub shared this process's memory (CLONE_VM) instead of copying it (see stub.ts). */
  readonly sharedMemory: boolean;
}

export interface Launched {
  readonly pid: number;
  readonly timings: LaunchTimings;
  /** fds moved into this process by `take-fd` setup steps, by name. */
  readonly fds: Readonly<Record<string, number>>;
  /** pid 1 of a new pid namespace kept as a reaper (kill it to end the namespace), or null. */
  readonly reaper: number | null;
}

/**
 * Starts `opts.argv` stopped at the return of its execve, seized with the engine's
 * options. Must run on the tracer thread. Returns the pid (also the thread id).
 */
export function launch(opts: LaunchOptions, features: Features, ops: ArchOps): Launched {
  const t0 = performance.now();
  if (!features.seize) {
    throw new LaunchError(
      'PTRACE_SEIZE probe',
      features.seizeErrno,
      'ptrace is not usable here (needs Linux 3.4+)',
    );
  }
  if (opts.filter !== undefined) {
    if (opts.filter.length === 0 || opts.filter.length % 8 !== 0 || opts.filter.length / 8 > 4096) {
      throw new LaunchError(
        'seccomp filter',
        EINVAL,
        `${opts.filter.length} bytes is not 1..4096 sock_filter entries`,
      );
    }
    if (!features.traceSeccomp) {
      throw new LaunchError('seccomp filter', EINVAL, 'PTRACE_O_TRACESECCOMP is missing (needs Linux 3.5)');
    }
  }
  if (opts.argv.length === 0) throw new LaunchError('argv', EINVAL, 'argv is empty');
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const name = opts.file ?? opts.argv[0]!;
  const early = (opts.setup?.early?.length ?? 0) > 0;
  // Inside a sandbox with its own root, PATH is searched there, at execve (like execvp).
  const files =
    early && name !== '' && !name.includes('/')
      ? (env.PATH ?? '/usr/local/bin:/usr/bin:/bin')
          .split(delimiter)
          .map((d) => `${d === '' ? '.' : d}/${name}`)
      : [resolveProgram(name, env, cwd)];
  const file = files[0]!;
  const stdio = opts.stdio ?? ['inherit', 'inherit', 'inherit'];
  for (const [i, s] of stdio.entries()) {
    if (typeof s === 'number' && (!Number.isInteger(s) || s < 0)) {
      throw new LaunchError(`stdio[${i}]`, EBADF, `${s} is not a file descriptor`);
    }
  }

  // Everything the injected calls point at, in one block copied into the stub by clone.
  const img = new Image();
  const fileAts = files.map((f) => img.cstring(f));
  const argvAt = img.pointerArray(opts.argv.map((a) => img.cstring(a)));
  const envStrings = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  const envAt = img.pointerArray(envStrings.map((e) => img.cstring(e)));
  const cwdAt = opts.cwd !== undefined ? img.cstring(opts.cwd) : -1;
  const devNullAt = img.cstring('/dev/null');
  const zeroMaskAt = img.add(new Uint8Array(8));
  const sigDflAt = img.add(new Uint8Array(32)); // struct kernel_sigaction { handler=SIG_DFL, flags, restorer, mask }
  const sigIgnAt = img.add(Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, ...new Uint8Array(24))); // handler=SIG_IGN
  const rlimitAts: { resource: number; at: number; name: string }[] = [];
  for (const [name, lim] of Object.entries(opts.rlimits ?? {})) {
    const resource = RLIMITS[name as RlimitName];
    if (resource === undefined || lim === undefined)
      throw new LaunchError('rlimits', EINVAL, `unknown limit ${name}`);
    const b = new DataView(new ArrayBuffer(16));
    b.setBigUint64(0, BigInt.asUintN(64, BigInt(lim.soft)), true);
    b.setBigUint64(8, BigInt.asUintN(64, BigInt(lim.hard)), true);
    rlimitAts.push({ resource, at: img.add(new Uint8Array(b.buffer)), name });
  }
  let prepared: PreparedSetup | null = null;
  if (opts.setup !== undefined) {
    try {
      prepared = prepareSetup(img, opts.setup, ops);
    } catch (e) {
      if (e instanceof SetupStepError) throw new LaunchError(e.step, e.errno, e.detail);
      throw e;
    }
  }
  // The engine's own filter first (see engineFilter), wherever seccomp stops work.
  let engineFprogAt = -1;
  if (features.traceSeccomp && opts.engineFilter !== false) {
    const ef = engineFilter(engineFilterAbis(ops));
    const efAt = img.add(ef);
    const efProg = new DataView(new ArrayBuffer(16));
    efProg.setUint16(0, ef.length / 8, true);
    engineFprogAt = img.add(new Uint8Array(efProg.buffer));
    img.fixup(engineFprogAt + 8, efAt);
  }
  let fprogAt = -1;
  if (opts.filter !== undefined) {
    const filterAt = img.add(opts.filter);
    const fprog = new DataView(new ArrayBuffer(16));
    fprog.setUint16(0, opts.filter.length / 8, true);
    fprogAt = img.add(new Uint8Array(fprog.buffer));
    img.fixup(fprogAt + 8, filterAt);
  }
  img.commit();

  const tc = performance.now();
  let first: Stub;
  try {
    first = Stub.create(undefined, { shareMemory: mayShareMemory(opts.setup) });
  } catch (e) {
    img.free();
    throw new LaunchError('clone', (e as { errno?: number }).errno ?? 0, String((e as Error).message));
  }
  // A copy holds its own copy at the same addresses; a memory-sharing stub reads ours
  // until its execve (freed below, once it has exec'd or been killed).
  const sharedMemory = first.sharesMemory;
  if (!sharedMemory) img.free();
  const cloneMs = performance.now() - tc;
  let injected = 0;
  const n = ops.inject;
  const memory = new TraceeMemory(features.processVm ? 'process_vm' : features.procMem ? 'proc_mem' : 'peek');
  const ctx: SetupContext = {
    stub: first,
    img,
    results: new Map(),
    fds: new Map(),
    reaper: null,
    sigIgnAt,
    sigDflAt,
    inject(step, nr, args, okErrnos = []) {
      injected++;
      const r = ctx.stub.inject(nr, args);
      if (r.ret < 0n && r.ret > -4096n && !okErrnos.includes(Number(-r.ret)))
        throw new LaunchError(step, Number(-r.ret));
      return r.ret;
    },
    injectFork(step, nr) {
      injected++;
      const r = ctx.stub.inject(nr, [BigInt(SIGCHLD), 0n, 0n, 0n, 0n]);
      if (r.ret < 0n) throw new LaunchError(step, Number(-r.ret));
      if (r.child === null) throw new LaunchError(step, 0, 'no fork event for the child');
      return r.child;
    },
    poke(addr, bytes) {
      memory.write(ctx.stub.pid, addr, bytes);
    },
    adopt(child) {
      return Stub.adopt(child, ops, ctx.stub.regs);
    },
    pidfdGetfd: pidfdNumbers(ops),
    ...(opts.onFd !== undefined ? { onFd: opts.onFd } : {}),
  };
  const call = (step: string, nr: number, args: bigint[]): bigint => ctx.inject(step, nr, args);
  const setupStep = (steps: PreparedSetup['early']) => {
    if (prepared === null || steps.length === 0) return;
    try {
      runSetup(ctx, steps, prepared);
    } catch (e) {
      if (e instanceof SetupStepError) throw new LaunchError(e.step, e.errno, e.detail);
      throw e;
    }
  };
  try {
    const seizeErr = first.seize(ptraceOptions(features));
    if (seizeErr !== 0) throw new LaunchError('PTRACE_SEIZE', seizeErr);
    first.interrupt();

    // The stub has this thread's signal mask and Node's ignored signals (SIGPIPE!);
    // execve keeps both, so reset them as posix_spawn users expect.
    call('rt_sigprocmask', n.rt_sigprocmask, [SIG_SETMASK, img.address(zeroMaskAt), 0n, 8n]);
    for (const sig of ignoredSignals(first.pid)) {
      call(`rt_sigaction(${sig})`, n.rt_sigaction, [BigInt(sig), img.address(sigDflAt), 0n, 8n]);
    }
    if (opts.newSession) call('setsid', n.setsid, []);

    // stdio: first duplicate every source above the slots (so no slot is clobbered
    // before it is read), then move them into place; the temporaries are closed below.
    // Done before namespaces and a new root: /dev/null is the host's.
    const slots = stdio.length;
    const temps: (bigint | null)[] = [];
    for (const [i, spec] of stdio.entries()) {
      let src: bigint;
      if (spec === 'ignore')
        src = call(`stdio[${i}]: open /dev/null`, n.openat, [
          AT_FDCWD,
          img.address(devNullAt),
          BigInt(O_RDWR),
        ]);
      else src = BigInt(spec === 'inherit' ? i : spec);
      injected++;
      const t = ctx.stub.inject(n.fcntl, [src, BigInt(F_DUPFD), BigInt(slots)]).ret;
      if (t === -BigInt(EBADF) && spec === 'inherit')
        temps.push(null); // closed here: closed there
      else if (t < 0n) throw new LaunchError(`stdio[${i}]: fd ${src} is not open`, Number(-t));
      else temps.push(t);
    }
    for (const [i, t] of temps.entries()) {
      if (t === null) ctx.stub.inject(n.close, [BigInt(i)]);
      else call(`stdio[${i}]: dup3`, n.dup3, [t, BigInt(i), 0n]);
    }
    closeFrom(ctx.stub, slots, features, ops, call);

    setupStep(prepared?.early ?? []);

    if (cwdAt >= 0) call(`chdir ${opts.cwd}`, n.chdir, [img.address(cwdAt)]);
    if (opts.umask !== undefined) call('umask', n.umask, [BigInt(opts.umask & 0o777)]);
    for (const r of rlimitAts)
      call(`setrlimit ${r.name}`, n.setrlimit, [BigInt(r.resource), img.address(r.at)]);
    // Dies with its parent (this thread) even where PTRACE_O_EXITKILL is missing.
    call('prctl(PR_SET_PDEATHSIG)', n.prctl, [BigInt(PR_SET_PDEATHSIG), BigInt(SIGKILL), 0n, 0n, 0n]);
    if (opts.noNewPrivs !== false || fprogAt >= 0 || engineFprogAt >= 0 || prepared !== null) {
      call('prctl(PR_SET_NO_NEW_PRIVS)', n.prctl, [BigInt(PR_SET_NO_NEW_PRIVS), 1n, 0n, 0n, 0n]);
    }
    setupStep(prepared?.beforeFilter ?? []);
    // The engine's filter first, then the caller's: both stay installed (stacked).
    const filters: [step: string, at: number][] = [
      ['engine seccomp filter', engineFprogAt],
      ['seccomp filter', fprogAt],
    ];
    for (const [step, at] of filters) {
      if (at < 0) continue;
      call(step, n.prctl, [BigInt(PR_SET_SECCOMP), BigInt(SECCOMP_MODE_FILTER), img.address(at), 0n, 0n]);
    }
    // Like execvp: on ENOENT, ENOTDIR or EACCES try the next PATH entry; EACCES is
    // reported if no entry works and one of them was denied.
    let lastErr = ENOENT;
    let denied = false;
    let execed = false;
    for (const at of fileAts) {
      injected++;
      const ex = ctx.stub.inject(n.execve, [img.address(at), img.address(argvAt), img.address(envAt)]);
      if (ex.ret === 0n) {
        if (!ex.execed) throw new LaunchError(`execve ${file}`, 0, 'no exec event');
        execed = true;
        break;
      }
      lastErr = Number(-ex.ret);
      if (lastErr === EACCES) denied = true;
      if (lastErr !== ENOENT && lastErr !== ENOTDIR && lastErr !== EACCES) break;
    }
    if (!execed) {
      const where = fileAts.length > 1 ? `${name} (searched in PATH inside the sandbox)` : file;
      throw new LaunchError(`execve ${where}`, denied && lastErr === ENOENT ? EACCES : lastErr);
    }
    ctx.stub.release();
    img.free();
    return {
      pid: ctx.stub.pid,
      timings: { clone: cloneMs, total: performance.now() - t0, injected, sharedMemory },
      fds: Object.fromEntries(ctx.fds),
      reaper: ctx.reaper,
    };
  } catch (e) {
    ctx.stub.destroy();
    if (ctx.stub !== first) first.destroy();
    img.free();
    if (ctx.reaper !== null) killAndReap(ctx.reaper);
    for (const fd of ctx.fds.values()) closeFd(fd);
    if (e instanceof LaunchError) throw e;
    throw new LaunchError('setup', (e as { errno?: number }).errno ?? 0, (e as Error).message);
  }
}

/**
 * Whether the launch's stub may share this process's memory until its execve: not when the
 * setup forks (a pid namespace's stub would copy this process after all, and its parent may
 * stay parked as the reaper), nor when a step makes a call that changes the address space.
 */
function mayShareMemory(setup: SetupProgram | undefined): boolean {
  const steps = [...(setup?.early ?? []), ...(setup?.beforeFilter ?? [])];
  return !steps.some((s) => s.kind === 'fork' || (s.kind === 'syscall' && changesMemory(s.name, s.args[0])));
}

/** pidfd_open and pidfd_getfd for the native ABI (take-fd steps). */
function pidfdNumbers(ops: ArchOps): { open: number; getfd: number } | null {
  const open = syscallByName(ops.nativeAbi, 'pidfd_open');
  const getfd = syscallByName(ops.nativeAbi, 'pidfd_getfd');
  return open && getfd ? { open: open.nr, getfd: getfd.nr } : null;
}

/** Signals the stub ignores (from /proc/PID/status SigIgn), minus the ones that cannot be. */
function ignoredSignals(pid: number): number[] {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^SigIgn:\s*([0-9a-f]+)$/m.exec(status);
  if (m === null) return [];
  const mask = BigInt(`0x${m[1]}`);
  const out: number[] = [];
  for (let sig = 1; sig <= 64; sig++) {
    if (sig === 9 || sig === 19) continue;
    if ((mask >> BigInt(sig - 1)) & 1n) out.push(sig);
  }
  return out;
}

function closeFrom(
  stub: Stub,
  from: number,
  features: Features,
  ops: ArchOps,
  call: (step: string, nr: number, args: bigint[]) => bigint,
): void {
  if (features.closeRange) {
    call('close_range', ops.inject.close_range, [BigInt(from), 0xffffffffn, 0n]);
    return;
  }
  // Before 5.9: close each fd the stub has open, as /proc lists them.
  for (const name of readdirSync(`/proc/${stub.pid}/fd`)) {
    const fd = Number(name);
    if (fd >= from) call(`close(${fd})`, ops.inject.close, [BigInt(fd)]);
  }
}

/** clone and clone3 of every ABI the host runs, grouped by AUDIT_ARCH (x32 shares x86_64's). */
export function engineFilterAbis(ops: ArchOps): { auditArch: number; nrs: number[] }[] {
  const out: { auditArch: number; nrs: number[] }[] = [];
  for (const [auditArch, abi] of ops.auditArches) {
    const nrs: number[] = [];
    for (const [name, c] of Object.entries(ops.clone)) {
      const sameArch = name === abi || (abi === 'x86_64' && name === 'x32');
      if (sameArch && c !== undefined) nrs.push(c.clone, c.clone3);
    }
    out.push({ auditArch, nrs });
  }
  return out;
}
