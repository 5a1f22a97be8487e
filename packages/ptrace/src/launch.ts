/**
 * Launching a program under the tracer: stub (see stub.ts) -> seize -> injected
 * setup calls -> execve. Nothing of the target runs before the filter, the limits
 * and the stdio are in place; any failed step kills the stub and names the step.
 */
import { accessSync, constants as fsConstants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
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
  SIGKILL,
} from './constants.js';
import { engineFilter } from './filter.js';
import { allocNative, errnoName } from './native.js';
import type { Features } from './probe.js';
import { Stub } from './stub.js';

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
}

/** A launch step failed; the stub has been killed. */
export class LaunchError extends Error {
  readonly step: string;
  readonly errno: number;
  constructor(step: string, errnum: number, detail = '') {
    super(
      `launch failed at ${step}${detail ? ` (${detail})` : ''}: ${errnum ? `${errnoName(errnum)} (${errnum})` : 'error'}`,
    );
    this.name = 'LaunchError';
    this.step = step;
    this.errno = errnum;
  }
}

const ENOENT = 2;
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

/** Lays strings and structs out in one malloc'd block; addresses are final once `commit` ran. */
class Image {
  private readonly parts: { at: number; bytes: Uint8Array }[] = [];
  private size = 0;
  private block: ReturnType<typeof allocNative> | null = null;
  private ptrFixups: { at: number; target: number }[] = [];

  add(bytes: Uint8Array, align = 8): number {
    this.size = (this.size + align - 1) & ~(align - 1);
    const at = this.size;
    this.parts.push({ at, bytes });
    this.size += bytes.length;
    return at;
  }

  cstring(s: string): number {
    return this.add(Buffer.concat([Buffer.from(s), Buffer.of(0)]), 1);
  }

  /** A NULL-terminated pointer array to the given offsets. */
  pointerArray(offsets: readonly number[]): number {
    const at = this.add(new Uint8Array((offsets.length + 1) * 8));
    for (const [i, target] of offsets.entries()) this.ptrFixups.push({ at: at + i * 8, target });
    return at;
  }

  /** A pointer-sized slot holding the address of `target`, at `at` + field offset. */
  fixup(at: number, target: number): void {
    this.ptrFixups.push({ at, target });
  }

  commit(): bigint {
    const block = allocNative(Math.max(this.size, 8));
    this.block = block;
    for (const p of this.parts) block.bytes.set(p.bytes, p.at);
    const view = new DataView(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    for (const f of this.ptrFixups) view.setBigUint64(f.at, block.address + BigInt(f.target), true);
    return block.address;
  }

  address(offset: number): bigint {
    if (this.block === null) throw new Error('image not committed');
    return this.block.address + BigInt(offset);
  }

  free(): void {
    this.block?.free();
  }
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
}

export interface Launched {
  readonly pid: number;
  readonly timings: LaunchTimings;
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
  const file = resolveProgram(opts.file ?? opts.argv[0]!, env, cwd);
  const stdio = opts.stdio ?? ['inherit', 'inherit', 'inherit'];
  for (const [i, s] of stdio.entries()) {
    if (typeof s === 'number' && (!Number.isInteger(s) || s < 0)) {
      throw new LaunchError(`stdio[${i}]`, EBADF, `${s} is not a file descriptor`);
    }
  }

  // Everything the injected calls point at, in one block copied into the stub by clone.
  const img = new Image();
  const fileAt = img.cstring(file);
  const argvAt = img.pointerArray(opts.argv.map((a) => img.cstring(a)));
  const envStrings = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  const envAt = img.pointerArray(envStrings.map((e) => img.cstring(e)));
  const cwdAt = opts.cwd !== undefined ? img.cstring(opts.cwd) : -1;
  const devNullAt = img.cstring('/dev/null');
  const zeroMaskAt = img.add(new Uint8Array(8));
  const sigDflAt = img.add(new Uint8Array(32)); // struct kernel_sigaction { handler=SIG_DFL, flags, restorer, mask }
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
  // The engine's own filter first (see engineFilter), wherever seccomp stops work.
  let engineFprogAt = -1;
  if (features.traceSeccomp) {
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
  let stub: Stub;
  try {
    stub = Stub.create();
  } catch (e) {
    img.free();
    throw new LaunchError('clone', (e as { errno?: number }).errno ?? 0, String((e as Error).message));
  }
  // The stub holds its own copy at the same addresses.
  img.free();
  const cloneMs = performance.now() - tc;
  let injected = 0;
  const n = ops.inject;
  const call = (step: string, nr: number, args: bigint[]): bigint => {
    injected++;
    const r = stub.inject(nr, args);
    if (r.ret < 0n && r.ret > -4096n) throw new LaunchError(step, Number(-r.ret));
    return r.ret;
  };
  try {
    const seizeErr = stub.seize(ptraceOptions(features));
    if (seizeErr !== 0) throw new LaunchError('PTRACE_SEIZE', seizeErr);
    stub.interrupt();

    // The stub has this thread's signal mask and Node's ignored signals (SIGPIPE!);
    // execve keeps both, so reset them as posix_spawn users expect.
    call('rt_sigprocmask', n.rt_sigprocmask, [SIG_SETMASK, img.address(zeroMaskAt), 0n, 8n]);
    for (const sig of ignoredSignals(stub.pid)) {
      call(`rt_sigaction(${sig})`, n.rt_sigaction, [BigInt(sig), img.address(sigDflAt), 0n, 8n]);
    }
    if (opts.newSession) call('setsid', n.setsid, []);

    // stdio: first duplicate every source above the slots (so no slot is clobbered
    // before it is read), then move them into place; the temporaries are closed below.
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
      const t = stub.inject(n.fcntl, [src, BigInt(F_DUPFD), BigInt(slots)]).ret;
      if (t === -BigInt(EBADF) && spec === 'inherit')
        temps.push(null); // closed here: closed there
      else if (t < 0n) throw new LaunchError(`stdio[${i}]: fd ${src} is not open`, Number(-t));
      else temps.push(t);
    }
    for (const [i, t] of temps.entries()) {
      if (t === null) stub.inject(n.close, [BigInt(i)]);
      else call(`stdio[${i}]: dup3`, n.dup3, [t, BigInt(i), 0n]);
    }
    closeFrom(stub, slots, features, ops, call);

    if (cwdAt >= 0) call(`chdir ${opts.cwd}`, n.chdir, [img.address(cwdAt)]);
    if (opts.umask !== undefined) call('umask', n.umask, [BigInt(opts.umask & 0o777)]);
    for (const r of rlimitAts)
      call(`setrlimit ${r.name}`, n.setrlimit, [BigInt(r.resource), img.address(r.at)]);
    // Dies with its parent (this thread) even where PTRACE_O_EXITKILL is missing.
    call('prctl(PR_SET_PDEATHSIG)', n.prctl, [BigInt(PR_SET_PDEATHSIG), BigInt(SIGKILL), 0n, 0n, 0n]);
    if (opts.noNewPrivs !== false || fprogAt >= 0 || engineFprogAt >= 0) {
      call('prctl(PR_SET_NO_NEW_PRIVS)', n.prctl, [BigInt(PR_SET_NO_NEW_PRIVS), 1n, 0n, 0n, 0n]);
    }
    // The engine's filter first, then the caller's: both stay installed (stacked).
    const filters: [step: string, at: number][] = [
      ['engine seccomp filter', engineFprogAt],
      ['seccomp filter', fprogAt],
    ];
    for (const [step, at] of filters) {
      if (at < 0) continue;
      call(step, n.prctl, [BigInt(PR_SET_SECCOMP), BigInt(SECCOMP_MODE_FILTER), img.address(at), 0n, 0n]);
    }
    injected++;
    const ex = stub.inject(n.execve, [img.address(fileAt), img.address(argvAt), img.address(envAt)]);
    if (ex.ret !== 0n || !ex.execed) {
      throw new LaunchError(
        `execve ${file}`,
        ex.ret < 0n ? Number(-ex.ret) : 0,
        ex.execed ? 'no exec event' : '',
      );
    }
    stub.release();
    return { pid: stub.pid, timings: { clone: cloneMs, total: performance.now() - t0, injected } };
  } catch (e) {
    stub.destroy();
    if (e instanceof LaunchError) throw e;
    throw new LaunchError('setup', (e as { errno?: number }).errno ?? 0, (e as Error).message);
  }
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
