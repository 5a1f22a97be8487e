/**
 * The policy's decisions for @sb/unotify's supervisor thread (a notify handler
 * module: `createNotifyHandler(data)`). The decision, the reports and the
 * learning events are the ptrace handler's own (handler.ts), driven with a
 * notification instead of a seccomp stop. What differs is the answer: an allowed
 * call of the open family is not continued but opened here, at exactly the path
 * that was checked (see @sb/unotify's openForCaller), and its fd installed in
 * the caller; unlink/rmdir/mkdir, the stat family and readlink are done here the same way;
 * other allowed calls continue in the kernel (see the README's table).
 */
import { readFileSync } from 'node:fs';
import type { Resolved, ResolveRequest, ResolveResult } from '@sb/policy';
import { PathResolver } from '@sb/policy/engine';
import type { SyscallStop, Tracer } from '@sb/ptrace';
import { archByAudit, errnoNumber, nativeArch, syscallByNumber } from '@sb/syscalls';
import {
  type Creds,
  type Notification,
  type NotifyContext,
  type NotifyHandler,
  type NotifyResponse,
  nativeOpenFlags,
  openForCaller,
  type PathOp,
  pathOpForCaller,
  readCreds,
  type StatCall,
  statForCaller,
} from '@sb/unotify/runtime';
import { createHandler, type HandlerData } from './handler.js';

/** Remembers every resolution of one decision, so the open uses exactly the checked path. */
class RecordingResolver extends PathResolver {
  log: { req: ResolveRequest; r: ResolveResult }[] = [];
  override resolve(req: ResolveRequest): ResolveResult {
    const r = super.resolve(req);
    this.log.push({ req, r });
    return r;
  }
}

const EACCES = 13;
const ENOSYS = 38;
const EAGAIN = 11;
const X32_BIT = 0x40000000;
/** Re-checks when the object changed between check and open (a swapped symlink, a renamed file). */
const ATTEMPTS = 4;

/** The open family's argument registers: path, flags, mode (-1: none), dirfd (-1: AT_FDCWD), how. */
const OPEN_CALLS: Readonly<
  Record<string, { path: number; flags: number; mode: number; dirfd: number; how?: number }>
> = {
  open: { path: 0, flags: 1, mode: 2, dirfd: -1 },
  openat: { path: 1, flags: 2, mode: 3, dirfd: 0 },
  openat2: { path: 1, flags: -1, mode: -1, dirfd: 0, how: 2 },
  creat: { path: 0, flags: -1, mode: 1, dirfd: -1 },
};

/** unlink/rmdir/mkdir: path register, and how the operation is told apart. */
const PATH_OPS: Readonly<
  Record<string, { path: number; kind: 'unlink' | 'mkdir'; arg: number; dir?: boolean }>
> = {
  unlink: { path: 0, kind: 'unlink', arg: -1, dir: false },
  unlinkat: { path: 1, kind: 'unlink', arg: 2 },
  rmdir: { path: 0, kind: 'unlink', arg: -1, dir: true },
  mkdir: { path: 0, kind: 'mkdir', arg: 1 },
  mkdirat: { path: 1, kind: 'mkdir', arg: 2 },
};
const AT_REMOVEDIR = 0x200;
const ELOOP = 40;

/**
 * The stat family and readlink, done here through a pin of the checked path and written into
 * the caller's buffer (native ABI only: the struct layouts are the supervisor's own). Registers
 * of the buffer, the flags, statx's mask and readlink's bufsiz (-1: none).
 */
interface LookupCall {
  readonly buf: number;
  readonly flags: number;
  readonly mask: number;
  readonly size: number;
}
const none = { flags: -1, mask: -1, size: -1 };
const STAT_CALLS: Readonly<Record<string, LookupCall>> = {
  stat: { ...none, buf: 1 },
  lstat: { ...none, buf: 1 },
  newfstatat: { ...none, buf: 2, flags: 3 },
  statx: { ...none, buf: 4, flags: 2, mask: 3 },
  readlink: { ...none, buf: 1, size: 2 },
  readlinkat: { ...none, buf: 2, size: 3 },
};
const AT_SYMLINK_NOFOLLOW = 0x100;
const AT_NO_AUTOMOUNT = 0x800;
const AT_EMPTY_PATH = 0x1000;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX__RESERVED = 0x80000000;
const EINVAL = 22;
const NATIVE_ABI = nativeArch().name;

function statArgs(n: Notification, spec: LookupCall): { flags: number; mask: number; size: number } {
  const u32 = (i: number) => (i < 0 ? 0 : Number((n.args[i] ?? 0n) & 0xffffffffn));
  // bufsiz is an int: negative sizes are EINVAL too.
  return { flags: u32(spec.flags), mask: u32(spec.mask), size: spec.size < 0 ? 0 : u32(spec.size) | 0 };
}

/** The kernel's EINVAL cases of newfstatat, statx and readlink, which it checks before any lookup. */
function invalidStatFlags(n: Notification, name: string): boolean {
  const spec = STAT_CALLS[name];
  if (!spec) return false;
  const { flags, mask, size } = statArgs(n, spec);
  if (spec.size >= 0) return size <= 0;
  const statx = name === 'statx';
  const known = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | (statx ? AT_STATX_SYNC_TYPE : 0);
  if ((flags & ~known) !== 0) return true;
  return statx && ((flags & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || (mask & STATX__RESERVED) !== 0);
}

/** The checked object's identity, for the emulation to verify what it pinned against. */
function identity(r: Resolved): { dev?: number; ino?: number; pathless?: true } {
  return {
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.ino !== undefined ? { ino: r.ino } : {}),
    ...(r.pathless ? { pathless: true as const } : {}),
  };
}

function abiOf(n: Notification): string | null {
  const candidates = archByAudit(n.arch);
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0]!.name;
  // x86_64 and x32 share AUDIT_ARCH_X86_64; x32 sets bit 30 of the number.
  const x32 = (n.nr & X32_BIT) !== 0;
  return candidates.find((a) => (a.name === 'x32') === x32)?.name ?? null;
}

/** A process belongs to this sandbox when our tracer traces it (every sandbox process is traced). */
function tracedByUs(pid: number): boolean {
  try {
    const m = /^TracerPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m !== null && Number(m[1]) === process.pid;
  } catch {
    return false;
  }
}

export function createNotifyHandler(data: HandlerData): NotifyHandler {
  const resolver = new RecordingResolver();
  const decide = createHandler(data, { resolver, isSandboxPid: tracedByUs });
  const f = nativeOpenFlags();
  const O_CREAT_WRONLY_TRUNC = f.O_CREAT | 1 | f.O_TRUNC;

  /**
   * The loop every emulation shares. `act` gets the one path the decision resolved and the
   * caller's credentials, and answers, or says 'again' when the object changed between check
   * and use (a swapped symlink, a rename): then the call is decided again on the same argument
   * bytes, up to ATTEMPTS times, then EAGAIN. A decision that looked at no path answers
   * `noPath`; one that looked at more than one path, or a caller whose credentials cannot be
   * read, is denied.
   */
  const onCheckedPath = (
    n: Notification,
    abi: string,
    ctx: NotifyContext,
    noPath: NotifyResponse,
    act: (target: { req: ResolveRequest; r: Resolved; creds: Creds }) => NotifyResponse | 'again',
  ): NotifyResponse => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (resolver.log.length === 0) return noPath;
      const resolved = resolver.log.filter((e) => e.r.ok);
      const last = resolved[resolved.length - 1];
      if (resolved.length !== 1 || !last || !last.r.ok) return { action: 'deny', errno: EACCES };
      const creds = readCreds(n.pid);
      if (!creds) return { action: 'deny', errno: EACCES };
      const answer = act({ req: last.req, r: last.r, creds });
      if (answer !== 'again') return answer;
      const again = verdict(n, abi, ctx);
      if (again.action !== 'allow') return toResponse(again);
    }
    return { action: 'deny', errno: EAGAIN };
  };

  const verdict = (n: Notification, abi: string, ctx: NotifyContext) => {
    const tracer = {
      memory: {
        readCString: (_tid: number, addr: bigint, max: number) => ctx.memory.readCString(addr, max),
        read: (_tid: number, addr: bigint, len: number) => ctx.memory.read(addr, len),
      },
      // The owner kills the whole sandbox on the 'killall' event the handler posts.
      killAll: () => {},
    } as unknown as Tracer;
    const stop: SyscallStop = {
      tid: n.pid,
      abi: abi as SyscallStop['abi'],
      nr: n.nr,
      args: n.args,
      ip: n.ip,
      data: 1,
    };
    resolver.log = [];
    return decide.syscall!(stop, tracer) ?? { action: 'allow' as const };
  };

  const emulateOpen = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const regs = OPEN_CALLS[name];
    if (!regs) return null;
    let flags: number;
    let mode: number;
    if (regs.how !== undefined) {
      // struct open_how { u64 flags, mode, resolve }: read once (the decision reads its flags from this copy).
      const how = ctx.memory.read(n.args[regs.how] ?? 0n, 24);
      const v = new DataView(how.buffer, how.byteOffset, 24);
      // Invalid for the kernel too; never continued (it would read the struct again).
      if (v.getUint32(4, true) !== 0 || v.getBigUint64(8, true) > 0o7777n)
        return { action: 'deny', errno: 22 };
      // RESOLVE_* scopes (BENEATH, IN_ROOT, ...) are not what the policy resolved: let the caller fall back.
      if (v.getBigUint64(16, true) !== 0n) return { action: 'deny', errno: ENOSYS };
      flags = v.getUint32(0, true);
      mode = Number(v.getBigUint64(8, true));
    } else if (regs.flags < 0) {
      flags = O_CREAT_WRONLY_TRUNC;
      mode = Number((n.args[regs.mode] ?? 0n) & 0o7777n);
    } else {
      flags = Number((n.args[regs.flags] ?? 0n) & 0xffffffffn);
      mode = Number((n.args[regs.mode] ?? 0n) & 0o7777n);
    }
    // No path was looked at (the policy does not restrict this open): the kernel may do it,
    // except openat2, whose flags the kernel would read again from memory (a racing thread
    // could turn a read into a write): ENOSYS makes callers fall back to openat.
    const noPath: NotifyResponse =
      regs.how !== undefined ? { action: 'deny', errno: ENOSYS } : { action: 'continue' };
    return onCheckedPath(n, abi, ctx, noPath, ({ r, creds }) => {
      const o = openForCaller(
        { tid: n.pid, path: r.path, flags, mode, exists: r.exists, ...identity(r) },
        creds,
        ctx.creds,
        ctx.valid,
      );
      if ('fd' in o) return { action: 'fd', fd: o.fd, cloexec: (flags & f.O_CLOEXEC) !== 0 };
      if ('errno' in o) return { action: 'deny', errno: o.errno };
      return 'again';
    });
  };

  /** unlink/rmdir/mkdir done here, relative to the pinned parent of the checked path. */
  const emulatePathOp = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = PATH_OPS[name];
    if (!spec) return null;
    const arg = spec.arg < 0 ? 0 : Number((n.args[spec.arg] ?? 0n) & 0xffffffffn);
    const op: PathOp =
      spec.kind === 'mkdir'
        ? { op: 'mkdir', mode: arg & 0o7777 }
        : { op: 'unlink', dir: spec.dir ?? (arg & AT_REMOVEDIR) !== 0 };
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ r, creds }) => {
      const o = pathOpForCaller(n.pid, r.path, op, creds, ctx.creds, ctx.valid);
      if ('ok' in o) return { action: 'return', value: 0n };
      // A directory on the way became a symlink since the check: decide again.
      return o.errno === ELOOP ? 'again' : { action: 'deny', errno: o.errno };
    });
  };

  /** stat/lstat/newfstatat/statx/readlink(at) of the checked object, through a pin of it (see statForCaller). */
  const emulateStat = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = STAT_CALLS[name];
    if (!spec || abi !== NATIVE_ABI) return null;
    const { flags, mask, size } = statArgs(n, spec);
    const call: StatCall =
      spec.size >= 0
        ? { kind: 'readlink', size }
        : name === 'statx'
          ? { kind: 'statx', flags: flags & (AT_STATX_SYNC_TYPE | AT_NO_AUTOMOUNT), mask }
          : { kind: 'stat', flags: flags & AT_NO_AUTOMOUNT };
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ req, r, creds }) => {
      // An empty path names the dirfd's open file (AT_EMPTY_PATH): no path walk to race.
      if (req.path === null || (req.path instanceof Uint8Array && req.path.length === 0))
        return { action: 'continue' };
      const o = statForCaller(
        {
          tid: n.pid,
          path: r.path,
          follow: req.followLast,
          ...identity(r),
          call,
          buf: n.args[spec.buf] ?? 0n,
        },
        creds,
        ctx.creds,
        ctx.valid,
      );
      if ('ok' in o) return { action: 'return', value: BigInt(o.value) };
      if ('errno' in o) return { action: 'deny', errno: o.errno };
      return 'again';
    });
  };

  const toResponse = (v: ReturnType<typeof verdict>): NotifyResponse => {
    switch (v.action) {
      case 'deny':
        return { action: 'deny', errno: v.errno };
      case 'return':
        return { action: 'return', value: v.value };
      case 'kill':
        return { action: 'kill' };
      default:
        return { action: 'continue' };
    }
  };

  return {
    notify(n, ctx) {
      const abi = abiOf(n);
      if (abi === null) return { action: 'deny', errno: ENOSYS };
      const name = syscallByNumber(abi, n.nr)?.name ?? null;
      if (name !== null && OPEN_CALLS[name]?.how !== undefined) {
        // Pre-read the whole open_how so the decision's 8-byte read comes from the same copy.
        try {
          ctx.memory.read(n.args[2] ?? 0n, 24);
        } catch {
          // The decision reports EFAULT itself.
        }
      }
      // The kernel refuses bad stat flags before any lookup: so do we, before the policy looks.
      if (abi === NATIVE_ABI && name !== null && invalidStatFlags(n, name))
        return { action: 'deny', errno: EINVAL };
      const v = verdict(n, abi, ctx);
      if (v.action !== 'allow' || name === null) return toResponse(v);
      try {
        return (
          emulateOpen(n, abi, name, ctx) ??
          emulatePathOp(n, abi, name, ctx) ??
          emulateStat(n, abi, name, ctx) ?? { action: 'continue' }
        );
      } catch {
        return { action: 'deny', errno: errnoNumber(abi, 'EACCES') ?? EACCES };
      }
    },
  };
}
