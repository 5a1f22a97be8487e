/**
 * The policy's decisions for @sb/unotify's supervisor (a notify handler
 * module: `createNotifyHandler(data, env)`). The decision, the reports and the
 * learning events are the ptrace handler's own (handler.ts), driven with a
 * notification instead of a seccomp stop. What differs is the answer: an allowed
 * call of the open family is not continued but opened here, at exactly the path
 * that was checked (see @sb/unotify's openForCaller), and its fd installed in
 * the caller. The calls that make, remove or rename names, those that change an
 * object's attributes (mode, owner, size, times, xattrs), the stat family and readlink
 * are done here the same way; other allowed calls continue in the kernel (see the
 * README's table).
 */
import { readFileSync } from 'node:fs';
import type { Resolved, ResolveRequest, ResolveResult } from '@sb/policy';
import { PathResolver } from '@sb/policy/engine';
import type { SyscallStop, Tracer } from '@sb/ptrace';
import { archByAudit, errnoNumber, syscallByNumber } from '@sb/syscalls';
import {
  type AttrCall,
  accessForCaller,
  attrForCaller,
  bindForCaller,
  type Creds,
  connectForCaller,
  kernelHasAttrCall,
  type Notification,
  type NotifyContext,
  type NotifyEnv,
  type NotifyHandler,
  type NotifyResponse,
  nativeOpenFlags,
  openForCaller,
  type PathOp,
  pageSize,
  pathOpForCaller,
  readCreds,
  type StatCall,
  statForCaller,
} from '@sb/unotify/runtime';
import { createHandler, type HandlerData } from './handler.js';
import {
  ACCESS_CALLS,
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_NO_AUTOMOUNT,
  AT_REMOVEDIR,
  AT_STATX_SYNC_TYPE,
  AT_SYMLINK_NOFOLLOW,
  ATTR_CALLS,
  badAtFlags,
  dotsErrno,
  E2BIG,
  EFAULT,
  EINVAL,
  ELOOP,
  ENAMETOOLONG,
  ERANGE,
  invalidStatFlags,
  isInetSockaddr,
  lastDots,
  NATIVE_ABI,
  OPEN_CALLS,
  PATH_MAX,
  PATH_OPS,
  readTimes,
  readXattrArgs,
  STAT_CALLS,
  statArgs,
  u32Arg,
  XATTR_NAME_MAX,
  XATTR_READ_CALLS,
  XATTR_SIZE_MAX,
} from './notify-calls.js';

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

/** The checked object's identity, for the emulation to verify what it pinned against. */
function identity(r: Resolved): { dev?: number; ino?: number; pathless?: true } {
  return {
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.ino !== undefined ? { ino: r.ino } : {}),
    ...(r.pathless ? { pathless: true as const } : {}),
  };
}

/** What a pinning emulation gets of the call: who asks, and the object the check resolved. */
function checkedObject(n: Notification, req: ResolveRequest, r: Resolved) {
  return { tid: n.pid, path: r.path, follow: req.followLast, ...identity(r) };
}

/** An empty or NULL path names the dirfd's open file (AT_EMPTY_PATH): no path walk to race. */
function namesAnFd(req: ResolveRequest): boolean {
  return !(req.path instanceof Uint8Array) || req.path.length === 0;
}

/** A pinning emulation's outcome as the answer; 'again' when the object changed since the check. */
function answered(
  o: { readonly ok: true; readonly value?: number } | { readonly errno: number } | { readonly changed: true },
): NotifyResponse | 'again' {
  if ('ok' in o) return { action: 'return', value: BigInt(o.value ?? 0) };
  if ('errno' in o) return { action: 'deny', errno: o.errno };
  return 'again';
}

function abiOf(n: Notification): string | null {
  const candidates = archByAudit(n.arch);
  if (candidates.length === 0) return null;
  if (candidates.length === 1) return candidates[0]!.name;
  // x86_64 and x32 share AUDIT_ARCH_X86_64; x32 sets bit 30 of the number.
  const x32 = (n.nr & X32_BIT) !== 0;
  return candidates.find((a) => (a.name === 'x32') === x32)?.name ?? null;
}

/** The thread tracing `pid` (0: none), or null when its status cannot be read. */
function tracerOf(pid: number): number | null {
  try {
    const m = /^TracerPid:\s*(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/**
 * An AF_INET or AF_INET6 sockaddr as the check read it (the same bytes: CallMemory keeps each
 * range it read for this notification), or null for anything else.
 */
function inetSockaddr(ctx: NotifyContext, addr: bigint, len: number): Uint8Array | null {
  if (addr === 0n || len < 2 || len > 128) return null;
  let raw: Uint8Array;
  try {
    raw = ctx.memory.read(addr, len);
  } catch {
    return null;
  }
  return isInetSockaddr(raw) ? Uint8Array.from(raw) : null;
}

/** setxattrat's and getxattrat's struct xattr_args, read once from the caller (see readXattrArgs). */
function callerXattrArgs(ctx: NotifyContext, n: Notification, args: number, usize: number) {
  return readXattrArgs((a, l) => ctx.memory.read(a, l), n.args[args] ?? 0n, n.args[usize] ?? 0n, pageSize());
}

/** An extended attribute's name, read once: the kernel's ERANGE when empty or too long. */
function xattrName(ctx: NotifyContext, addr: bigint): Uint8Array | { errno: number } {
  let name: Uint8Array;
  try {
    name = ctx.memory.readCString(addr, XATTR_NAME_MAX + 1);
  } catch (e) {
    const code = (e as { errno?: number }).errno;
    return { errno: code === ENAMETOOLONG ? ERANGE : (code ?? EFAULT) };
  }
  return name.length === 0 ? { errno: ERANGE } : name;
}

export function createNotifyHandler(data: HandlerData, env: NotifyEnv): NotifyHandler {
  const resolver = new RecordingResolver();
  // Every process of this sandbox is traced by its tracer thread (and no other process is):
  // a pid belongs to the sandbox when the same thread traces it as traces the caller. (Not
  // "traced by this process": other sandboxes of a library user share the process.)
  let caller = 0;
  let callerTracer: number | null | undefined;
  const isSandboxPid = (pid: number): boolean => {
    if (callerTracer === undefined) callerTracer = tracerOf(caller);
    return callerTracer !== null && callerTracer !== 0 && tracerOf(pid) === callerTracer;
  };
  // The decisions are made here, from the first notification on: the policy is compiled now
  // (during the launch), and exec events are the tracer's (verifyExec is its part).
  const decide = createHandler(
    { ...data, verifyExec: false },
    { resolver, isSandboxPid, post: (m) => env.emit(m.event, m.data) },
  );
  const f = nativeOpenFlags();
  const O_CREAT_WRONLY_TRUNC = f.O_CREAT | 1 | f.O_TRUNC;

  /**
   * The loop every emulation shares. `act` gets the paths the decision resolved (`paths` of
   * them: rename and link check two, in argument order) and the caller's credentials, and
   * answers, or says 'again' when an object changed between check and use (a swapped symlink,
   * a rename): then the call is decided again on the same argument bytes, up to ATTEMPTS
   * times, then EAGAIN. A decision that looked at no path answers `noPath`; one that looked at
   * another number of paths, or a caller whose credentials cannot be read, is denied.
   */
  const onCheckedPaths = (
    n: Notification,
    abi: string,
    ctx: NotifyContext,
    noPath: NotifyResponse,
    paths: number,
    act: (targets: { req: ResolveRequest; r: Resolved }[], creds: Creds) => NotifyResponse | 'again',
  ): NotifyResponse => {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (resolver.log.length === 0) return noPath;
      const resolved: { req: ResolveRequest; r: Resolved }[] = [];
      for (const e of resolver.log) if (e.r.ok) resolved.push({ req: e.req, r: e.r });
      if (resolved.length !== paths) return { action: 'deny', errno: EACCES };
      const creds = readCreds(n.pid);
      if (!creds) return { action: 'deny', errno: EACCES };
      const answer = act(resolved, creds);
      if (answer !== 'again') return answer;
      const again = verdict(n, abi, ctx);
      if (again.action !== 'allow') return toResponse(again);
    }
    return { action: 'deny', errno: EAGAIN };
  };
  const onCheckedPath = (
    n: Notification,
    abi: string,
    ctx: NotifyContext,
    noPath: NotifyResponse,
    act: (target: { req: ResolveRequest; r: Resolved; creds: Creds }) => NotifyResponse | 'again',
  ): NotifyResponse => onCheckedPaths(n, abi, ctx, noPath, 1, ([t], creds) => act({ ...t!, creds }));

  /** The ptrace handler's view of the caller: its memory, read once through this notification. */
  const tracerView = (ctx: NotifyContext): Tracer =>
    ({
      memory: {
        readCString: (_tid: number, addr: bigint, max: number) => ctx.memory.readCString(addr, max),
        read: (_tid: number, addr: bigint, len: number) => ctx.memory.read(addr, len),
      },
      // The owner kills the whole sandbox on the 'killall' event the handler posts.
      killAll: () => {},
    }) as unknown as Tracer;

  const verdict = (n: Notification, abi: string, ctx: NotifyContext) => {
    const tracer = tracerView(ctx);
    const stop: SyscallStop = {
      tid: n.pid,
      abi: abi as SyscallStop['abi'],
      nr: n.nr,
      args: n.args,
      ip: n.ip,
      data: 1,
    };
    resolver.log = [];
    caller = n.pid;
    callerTracer = undefined;
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
      flags = u32Arg(n, regs.flags);
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

  /** unlink/rmdir/mkdir/symlink/mknod, rename/link, done here relative to pinned parents. */
  const emulatePathOp = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = PATH_OPS[name];
    if (!spec) return null;
    return onCheckedPaths(n, abi, ctx, { action: 'continue' }, spec.paths, (targets, creds) => {
      // An empty name (AT_EMPTY_PATH) is the dirfd's object: nothing to pin a parent of.
      if (targets.some(({ req }) => namesAnFd(req))) return { action: 'continue' };
      // "." or ".." last: the kernel refuses before it looks at the object; the resolved name would not.
      const dots = targets.map(({ req }) => lastDots(req.path as Uint8Array));
      const badFlags = spec.flags !== undefined && (u32Arg(n, spec.flags.reg) & ~spec.flags.valid) !== 0;
      const refused = badFlags ? EINVAL : dotsErrno(spec.kind, u32Arg(n, spec.arg), dots);
      if (refused !== null) return { action: 'deny', errno: refused };
      const [from, to] = targets.map(({ r }) => r.path);
      let op: PathOp;
      switch (spec.kind) {
        case 'unlink':
        case 'rmdir':
        case 'unlinkat':
          op = {
            op: 'unlink',
            dir:
              spec.kind === 'rmdir' ||
              (spec.kind === 'unlinkat' && (u32Arg(n, spec.arg) & AT_REMOVEDIR) !== 0),
          };
          break;
        case 'mkdir':
          op = { op: 'mkdir', mode: u32Arg(n, spec.arg) & 0o7777 };
          break;
        case 'symlink': {
          let target: Uint8Array;
          try {
            target = ctx.memory.readCString(n.args[spec.arg] ?? 0n, PATH_MAX);
          } catch (e) {
            return { action: 'deny', errno: (e as { errno?: number }).errno ?? EFAULT };
          }
          op = { op: 'symlink', target };
          break;
        }
        case 'mknod':
          op = { op: 'mknod', mode: u32Arg(n, spec.arg), dev: u32Arg(n, spec.arg2) };
          break;
        case 'rename':
          op = { op: 'rename', to: to!, flags: u32Arg(n, spec.arg) };
          break;
        case 'link':
          op = { op: 'link', to: to! };
          break;
      }
      const o = pathOpForCaller(n.pid, from!, op, creds, ctx.creds, ctx.valid);
      if ('ok' in o) return { action: 'return', value: 0n };
      // A directory on the way became a symlink since the check: decide again.
      return o.errno === ELOOP ? 'again' : { action: 'deny', errno: o.errno };
    });
  };

  /** chmod/chown/truncate/utime* of the checked object, through a pin of it (see attrForCaller). */
  const emulateAttr = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = ATTR_CALLS[name];
    if (!spec || abi !== NATIVE_ABI) return null;
    // A kernel without the call answers ENOSYS itself; emulated, it would work.
    if (!kernelHasAttrCall(name)) return null;
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ req, r, creds }) => {
      if (namesAnFd(req)) return { action: 'continue' };
      // setxattrat's struct comes first: copied before the at-flags are looked at.
      const xargs = spec.kind === 'setxattrat' ? callerXattrArgs(ctx, n, spec.args, spec.usize) : null;
      if (xargs !== null && 'errno' in xargs) return { action: 'deny', errno: xargs.errno };
      if (badAtFlags(n, 'flags' in spec ? spec.flags : undefined)) return { action: 'deny', errno: EINVAL };
      let call: AttrCall;
      switch (spec.kind) {
        case 'chmod':
          call = { kind: 'chmod', mode: u32Arg(n, spec.mode) };
          break;
        case 'chown':
          // Its ids are in its own namespace, not ours: left to the kernel (as under ptrace).
          if (creds.foreignUserNamespace) return { action: 'continue' };
          call = { kind: 'chown', uid: u32Arg(n, spec.uid), gid: u32Arg(n, spec.gid) };
          break;
        case 'truncate':
          call = { kind: 'truncate', length: BigInt.asIntN(64, n.args[spec.length] ?? 0n) };
          break;
        case 'utimens': {
          const times = readTimes((a, l) => ctx.memory.read(a, l), n.args[spec.times] ?? 0n, spec.form);
          if (times !== null && !(times instanceof Uint8Array)) return { action: 'deny', errno: times.errno };
          call = { kind: 'utimens', times };
          break;
        }
        case 'setxattr':
        case 'setxattrat':
        case 'removexattr': {
          // The kernel's order: flags, name (ERANGE when empty or too long), size, value.
          const xflags = xargs?.flags ?? (spec.kind === 'setxattr' ? u32Arg(n, spec.xflags) : 0);
          if ((xflags & ~3) !== 0) return { action: 'deny', errno: EINVAL };
          const name = xattrName(ctx, n.args[spec.name] ?? 0n);
          if (!(name instanceof Uint8Array)) return { action: 'deny', errno: name.errno };
          if (spec.kind === 'removexattr') {
            call = { kind: 'removexattr', name };
            break;
          }
          const size = xargs?.size ?? Number(n.args[spec.kind === 'setxattr' ? spec.size : 0] ?? 0n);
          if (size > XATTR_SIZE_MAX) return { action: 'deny', errno: E2BIG };
          let value: Uint8Array = new Uint8Array(0);
          if (size > 0) {
            const at = xargs?.value ?? n.args[spec.kind === 'setxattr' ? spec.value : 0] ?? 0n;
            try {
              value = Uint8Array.from(ctx.memory.read(at, size));
            } catch {
              return { action: 'deny', errno: EFAULT };
            }
          }
          call = { kind: 'setxattr', name, value, flags: xflags };
          break;
        }
      }
      return answered(attrForCaller({ ...checkedObject(n, req, r), call }, creds, ctx.creds, ctx.valid));
    });
  };

  /** access/faccessat/faccessat2 of the checked object, through a pin of it, with the real ids (see accessForCaller). */
  const emulateAccess = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = ACCESS_CALLS[name];
    if (!spec || abi !== NATIVE_ABI) return null;
    const mode = u32Arg(n, spec.mode);
    const flags = u32Arg(n, spec.flags);
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ req, r, creds }) => {
      if (namesAnFd(req)) return { action: 'continue' };
      // The kernel's EINVAL for a mode other than F_OK/R_OK/W_OK/X_OK or an unknown flag.
      if ((mode & ~7) !== 0 || (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) !== 0)
        return { action: 'deny', errno: EINVAL };
      const effective = (flags & AT_EACCESS) !== 0;
      return answered(
        accessForCaller({ ...checkedObject(n, req, r), mode, effective }, creds, ctx.creds, ctx.valid),
      );
    });
  };

  /** stat/lstat/newfstatat/statx/readlink(at)/statfs of the checked object, through a pin of it (see statForCaller). */
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
      name === 'statfs'
        ? { kind: 'statfs' }
        : spec.size >= 0
          ? { kind: 'readlink', size }
          : name === 'statx'
            ? { kind: 'statx', flags: flags & (AT_STATX_SYNC_TYPE | AT_NO_AUTOMOUNT), mask }
            : { kind: 'stat', flags: flags & AT_NO_AUTOMOUNT };
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ req, r, creds }) => {
      if (namesAnFd(req)) return { action: 'continue' };
      const buf = n.args[spec.buf] ?? 0n;
      return answered(statForCaller({ ...checkedObject(n, req, r), call, buf }, creds, ctx.creds, ctx.valid));
    });
  };

  /** getxattr/listxattr and their l and at forms, read through a pin of the checked object (see statForCaller). */
  const emulateXattrRead = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    const spec = XATTR_READ_CALLS[name];
    if (!spec || abi !== NATIVE_ABI || !kernelHasAttrCall(name)) return null;
    return onCheckedPath(n, abi, ctx, { action: 'continue' }, ({ req, r, creds }) => {
      if (namesAnFd(req)) return { action: 'continue' };
      // Some values are translated for the reader's user namespace (POSIX ACLs' ids, a file
      // capability's root): a caller in another one reads them in the kernel, as it would.
      if (creds.foreignUserNamespace) return { action: 'continue' };
      // The kernel's order: getxattrat's struct (its flags must be 0), the at-flags, the name.
      let buf = spec.kind === 'getat' ? 0n : (n.args[spec.buf] ?? 0n);
      let size = spec.kind === 'getat' ? 0n : (n.args[spec.size] ?? 0n);
      if (spec.kind === 'getat') {
        const x = callerXattrArgs(ctx, n, spec.args, spec.usize);
        if ('errno' in x) return { action: 'deny', errno: x.errno };
        if (x.flags !== 0) return { action: 'deny', errno: EINVAL };
        buf = x.value;
        size = BigInt(x.size);
      }
      if (badAtFlags(n, spec.flags)) return { action: 'deny', errno: EINVAL };
      // The kernel copies at most 64 KiB (and says E2BIG when that is too little, as it will here).
      const capped = Number(size > BigInt(XATTR_SIZE_MAX) ? BigInt(XATTR_SIZE_MAX) : size);
      let call: StatCall = { kind: 'listxattr', size: capped };
      if (spec.kind !== 'list') {
        const xname = xattrName(ctx, n.args[spec.name] ?? 0n);
        if (!(xname instanceof Uint8Array)) return { action: 'deny', errno: xname.errno };
        call = { kind: 'getxattr', name: xname, size: capped };
      }
      return answered(statForCaller({ ...checkedObject(n, req, r), call, buf }, creds, ctx.creds, ctx.valid));
    });
  };

  /**
   * connect and bind of an internet socket, done here with the address the check read (see
   * connectForCaller, bindForCaller); other families (unix: a path the kernel would walk again,
   * or create) continue.
   */
  const emulateSocket = (
    n: Notification,
    abi: string,
    name: string,
    ctx: NotifyContext,
  ): NotifyResponse | null => {
    if ((name !== 'connect' && name !== 'bind') || abi !== NATIVE_ABI) return null;
    const addr = inetSockaddr(ctx, n.args[1] ?? 0n, u32Arg(n, 2) | 0);
    if (addr === null) return null;
    const req = { tid: n.pid, fd: u32Arg(n, 0) | 0, addr };
    if (name === 'connect') return connectForCaller(req, ctx.valid);
    const creds = readCreds(n.pid);
    if (creds === null) return { action: 'deny', errno: EACCES };
    return bindForCaller(req, creds, ctx.creds, ctx.valid);
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
      let resp: NotifyResponse;
      try {
        resp = emulateOpen(n, abi, name, ctx) ??
          emulatePathOp(n, abi, name, ctx) ??
          emulateAttr(n, abi, name, ctx) ??
          emulateAccess(n, abi, name, ctx) ??
          emulateStat(n, abi, name, ctx) ??
          emulateXattrRead(n, abi, name, ctx) ??
          emulateSocket(n, abi, name, ctx) ?? { action: 'continue' };
      } catch {
        resp = { action: 'deny', errno: errnoNumber(abi, 'EACCES') ?? EACCES };
      }
      // A bind the decision noted for the successful-bind allowance: its result is known
      // here only when the bind was made here (internet sockets); a continued one (a unix
      // socket) is never seen to succeed, so it allows nothing.
      if (v.exit === true) {
        const made = resp.action === 'return' && resp.value === 0n;
        decide.syscallExit?.(
          {
            tid: n.pid,
            abi: abi as SyscallStop['abi'],
            nr: n.nr,
            args: n.args,
            ret: made ? 0n : -1n,
            skipped: !made,
          },
          tracerView(ctx),
        );
      }
      return resp;
    },
  };
}
