/**
 * Resolving a tracee's path argument the way the kernel will, in bytes,
 * inside the tracee's root and mount namespace (/proc/PID/root), relative to
 * its working directory (/proc/PID/cwd) or a directory fd (/proc/PID/fd/N).
 *
 * The walk is our own, component by component, with lstat/readlink on
 * `/proc/PID/root/<resolved prefix>/<component>`: the prefix we hand to the
 * kernel only ever holds directories we have already resolved, so the kernel
 * follows no symlink and no `..` on our behalf, and `..` cannot climb above
 * the tracee's root. `/proc/self` and `/proc/thread-self` mean the tracee, not
 * us. Magic links (/proc/PID/fd/N, cwd, root, exe, map_files/...) are resolved
 * to their target path and the result is then verified to be the very object
 * the magic link points at (device and inode); when it is not (a deleted
 * file, an object outside the tracee's root, another mount namespace) the
 * resolution fails with EACCES, so a magic link is never a way around a rule.
 * Objects without a path (pipes, sockets, anonymous inodes) resolve to the
 * magic link's own path, `/proc/PID/fd/N`, which rules can name.
 */

import { lstatSync, readFileSync, readlinkSync, type Stats, statfsSync, statSync } from 'node:fs';

export const AT_FDCWD = -100;
export const PATH_MAX = 4096;
export const NAME_MAX = 255;
export const MAXSYMLINKS = 40;
const PROC_SUPER_MAGIC = 0x9fa0;

export type ResolveErrno = 'ENOENT' | 'ENOTDIR' | 'ELOOP' | 'ENAMETOOLONG' | 'EFAULT' | 'EACCES' | 'EBADF';

export interface ResolveRequest {
  /** The tracee's thread-group id as the supervisor sees it (for /proc/PID/...). */
  readonly pid: number;
  /** The calling thread (as the supervisor sees it); default pid. */
  readonly tid?: number;
  /** AT_FDCWD (-100) or a directory fd of the tracee. */
  readonly dirfd: number;
  /** The path argument as read from tracee memory, or the read's failure (EFAULT). Null pointer: null. */
  readonly path: Uint8Array | { readonly errno: 'EFAULT' } | null;
  /** Follow a symlink in the last component (false: AT_SYMLINK_NOFOLLOW, O_NOFOLLOW, lstat, unlink...). */
  readonly followLast: boolean;
  /** The last component may be missing (creating calls): resolution succeeds with exists=false. */
  readonly lastMayBeMissing: boolean;
  /** An empty path means dirfd itself (AT_EMPTY_PATH; utimensat with a NULL path). */
  readonly emptyPath?: boolean;
}

export interface Resolved {
  readonly ok: true;
  /** Absolute path inside the tracee's root. */
  readonly path: Uint8Array;
  readonly exists: boolean;
  readonly isDirectory: boolean;
  /** The object's identity when it exists. */
  readonly dev?: number;
  readonly ino?: number;
  /** Resolved through a magic link to an object with no path (pipe, socket, anon inode). */
  readonly pathless?: boolean;
}

export interface ResolveFailure {
  readonly ok: false;
  readonly errno: ResolveErrno;
  /** The deepest path resolved before the failure (for the errno's visibility check). */
  readonly at: Uint8Array;
}

export type ResolveResult = Resolved | ResolveFailure;

const SLASH = 0x2f;
const DOT = 0x2e;

/** Split a path into components; `//` and empty components vanish. */
function components(path: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === SLASH) {
      if (i > start) out.push(path.subarray(start, i));
      start = i + 1;
    }
  }
  return out;
}

function isDot(c: Uint8Array): boolean {
  return c.length === 1 && c[0] === DOT;
}
function isDotDot(c: Uint8Array): boolean {
  return c.length === 2 && c[0] === DOT && c[1] === DOT;
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 0) return Buffer.from('/');
  const chunks: Uint8Array[] = [];
  for (const p of parts) chunks.push(Buffer.from('/'), p);
  return Buffer.concat(chunks);
}

function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'EIO';
}

/** Magic link names inside /proc/PID or /proc/PID/task/TID. */
function isMagicLinkName(rest: readonly string[]): boolean {
  // rest: components after /proc/PID (or /proc/PID/task/TID)
  if (rest.length === 1) return rest[0] === 'cwd' || rest[0] === 'root' || rest[0] === 'exe';
  if (rest.length === 2) return rest[0] === 'fd' || rest[0] === 'map_files';
  return false;
}

export interface ResolverOptions {
  /** Where procfs of the supervisor is (tests may point elsewhere). Default '/proc'. */
  readonly procRoot?: string;
}

/**
 * The pid a process has in its own (innermost) pid namespace, from
 * /proc/PID/status NSpid; the pid itself when that line is missing (before 4.1).
 */
export function namespacePid(pid: number, procRoot = '/proc'): number {
  try {
    const status = readFileSync(`${procRoot}/${pid}/status`, 'latin1');
    const m = /^NSpid:\s*(.*)$/m.exec(status);
    if (m) {
      const ids = m[1]!.trim().split(/\s+/);
      const last = Number(ids[ids.length - 1]);
      if (Number.isInteger(last) && last > 0) return last;
    }
  } catch {
    // fall through
  }
  return pid;
}

export class PathResolver {
  private readonly procRoot: string;

  constructor(options: ResolverOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
  }

  resolve(req: ResolveRequest): ResolveResult {
    const root = Buffer.from(`${this.procRoot}/${req.pid}/root`);
    const tid = req.tid ?? req.pid;
    const fail = (errno: ResolveErrno, at: readonly Uint8Array[]): ResolveFailure => ({
      ok: false,
      errno,
      at: join(at),
    });
    let path = req.path;
    if (path !== null && !(path instanceof Uint8Array)) return fail('EFAULT', []);
    if (path === null) {
      if (!req.emptyPath) return fail('EFAULT', []);
      path = new Uint8Array();
    }
    if (path.length >= PATH_MAX) return fail('ENAMETOOLONG', []);
    if (path.indexOf(0) !== -1) path = path.subarray(0, path.indexOf(0));

    // The tracee's root as the supervisor sees it: to translate fd and cwd links.
    let rootSeen: string;
    try {
      rootSeen = readlinkSync(root, 'buffer').toString('latin1');
    } catch (e) {
      return fail(errCode(e) === 'EACCES' ? 'EACCES' : 'ENOENT', []);
    }

    let cur: Uint8Array[] = [];
    if (path.length === 0 || path[0] !== SLASH) {
      const base = this.baseDirectory(req.pid, req.dirfd, rootSeen);
      if (!base.ok) return base;
      cur = components(base.path);
      if (path.length === 0) {
        if (!req.emptyPath) return fail('ENOENT', cur);
        return this.finish(root, cur, true, false);
      }
      if (!base.isDirectory) return fail('ENOTDIR', cur);
    }

    const trailingSlash = path[path.length - 1] === SLASH;
    // Pending components, consumed from the front; symlink targets are spliced in.
    let pending = components(path);
    let links = 0;
    let procSelfCache: { self: string; threadSelf: string } | null = null;
    const procSelf = () => {
      procSelfCache ??= this.procSelfNames(req.pid, tid);
      return procSelfCache;
    };

    while (pending.length > 0) {
      const comp = pending[0]!;
      pending = pending.slice(1);
      const isLast = pending.length === 0;
      if (comp.length > NAME_MAX) return fail('ENAMETOOLONG', cur);
      if (isDot(comp)) {
        if (isLast) return this.finish(root, cur, true, trailingSlash);
        continue;
      }
      if (isDotDot(comp)) {
        cur = cur.slice(0, -1);
        if (isLast) return this.finish(root, cur, true, trailingSlash);
        continue;
      }
      const candidate = [...cur, comp];
      const host = Buffer.concat([root, join(candidate)]);
      let st: Stats;
      try {
        st = lstatSync(host);
      } catch (e) {
        const code = errCode(e);
        if (code === 'ENOENT' && isLast && req.lastMayBeMissing)
          return { ok: true, path: join(candidate), exists: false, isDirectory: false };
        if (
          code === 'ENOENT' ||
          code === 'ENOTDIR' ||
          code === 'EACCES' ||
          code === 'ENAMETOOLONG' ||
          code === 'ELOOP'
        )
          return fail(code, cur);
        return fail('EACCES', cur);
      }
      const follow = !isLast || req.followLast || trailingSlash;
      if (st.isSymbolicLink()) {
        const inProc = this.isProcfsDir(Buffer.concat([root, join(cur)]));
        const self = inProc ? this.procSelfTarget(comp, procSelf) : null;
        if (self && !follow) {
          // lstat("/proc/self"): the link itself, named by the tracee's pid so rules see one name.
          return { ok: true, path: join([...cur, Buffer.from(self)]), exists: true, isDirectory: false };
        }
        if (!follow) {
          return {
            ok: true,
            path: join(candidate),
            exists: true,
            isDirectory: false,
            dev: st.dev,
            ino: st.ino,
          };
        }
        if (++links > MAXSYMLINKS) return fail('ELOOP', cur);
        if (inProc) {
          if (self) {
            pending = [...components(Buffer.from(self)), ...pending];
            continue;
          }
          const names = [...cur, comp].map((c) => Buffer.from(c).toString('latin1'));
          const magic = this.magicLinkRest(names);
          if (magic) {
            const r = this.throughMagicLink(root, host, candidate, rootSeen);
            if (!r.ok) return r;
            if (r.pathless) {
              if (!isLast) return fail('ENOTDIR', candidate);
              return r;
            }
            if (isLast) return trailingSlash && !r.isDirectory ? fail('ENOTDIR', cur) : r;
            cur = components(r.path);
            if (!r.isDirectory) return fail('ENOTDIR', cur);
            continue;
          }
        }
        let target: Buffer;
        try {
          target = readlinkSync(host, 'buffer');
        } catch (e) {
          return fail(errCode(e) === 'EACCES' ? 'EACCES' : 'ENOENT', cur);
        }
        if (target.length === 0) return fail('ENOENT', cur);
        if (target[0] === SLASH) cur = [];
        pending = [...components(target), ...pending];
        if (pending.length === 0) {
          // A link to "/" (or "//"): the root directory.
          return this.finish(root, cur, true, trailingSlash);
        }
        continue;
      }
      if (!isLast) {
        if (!st.isDirectory()) return fail('ENOTDIR', cur);
        cur = candidate;
        continue;
      }
      if (trailingSlash && !st.isDirectory() && !st.isSymbolicLink()) return fail('ENOTDIR', cur);
      return {
        ok: true,
        path: join(candidate),
        exists: true,
        isDirectory: st.isDirectory(),
        dev: st.dev,
        ino: st.ino,
      };
    }
    // Only "/" or a path of slashes.
    return this.finish(root, cur, true, trailingSlash);
  }

  private finish(root: Buffer, cur: Uint8Array[], mustExist: boolean, trailingSlash: boolean): ResolveResult {
    const p = join(cur);
    try {
      const st = lstatSync(Buffer.concat([root, p]));
      if (trailingSlash && !st.isDirectory()) return { ok: false, errno: 'ENOTDIR', at: p };
      return { ok: true, path: p, exists: true, isDirectory: st.isDirectory(), dev: st.dev, ino: st.ino };
    } catch (e) {
      if (!mustExist) return { ok: true, path: p, exists: false, isDirectory: false };
      const code = errCode(e);
      return {
        ok: false,
        errno: code === 'ENOTDIR' ? 'ENOTDIR' : code === 'EACCES' ? 'EACCES' : 'ENOENT',
        at: p,
      };
    }
  }

  /** The directory a relative path starts from: the cwd or a dirfd, as a path inside the tracee's root. */
  private baseDirectory(
    pid: number,
    dirfd: number,
    rootSeen: string,
  ): { ok: true; path: Uint8Array; isDirectory: boolean } | ResolveFailure {
    const link =
      dirfd === AT_FDCWD
        ? `${this.procRoot}/${pid}/cwd`
        : dirfd >= 0
          ? `${this.procRoot}/${pid}/fd/${dirfd}`
          : null;
    if (link === null) return { ok: false, errno: 'EBADF', at: Buffer.from('/') };
    let target: Buffer;
    let st: Stats;
    try {
      target = readlinkSync(link, 'buffer');
      st = statSync(link);
    } catch (e) {
      const code = errCode(e);
      return { ok: false, errno: code === 'ENOENT' ? 'EBADF' : 'EACCES', at: Buffer.from('/') };
    }
    if (target[0] !== SLASH) {
      // A pipe, socket or anonymous inode: not a directory.
      return { ok: false, errno: 'ENOTDIR', at: Buffer.from('/') };
    }
    const inside = this.insideRoot(target, rootSeen);
    if (!inside) return { ok: false, errno: 'EACCES', at: Buffer.from('/') };
    // Verify the path still names the object (not deleted or replaced).
    try {
      const again = statSync(Buffer.concat([Buffer.from(`${this.procRoot}/${pid}/root`), inside]));
      if (again.dev !== st.dev || again.ino !== st.ino) return { ok: false, errno: 'EACCES', at: inside };
    } catch {
      return { ok: false, errno: st.isDirectory() ? 'ENOENT' : 'ENOTDIR', at: inside };
    }
    return { ok: true, path: inside, isDirectory: st.isDirectory() };
  }

  /** Translate a path as the supervisor sees it to one inside the tracee's root, or null if outside. */
  private insideRoot(target: Buffer, rootSeen: string): Uint8Array | null {
    if (rootSeen === '/') return target;
    const prefix = Buffer.from(rootSeen, 'latin1');
    if (target.length < prefix.length || !target.subarray(0, prefix.length).equals(prefix)) return null;
    if (target.length === prefix.length) return Buffer.from('/');
    if (target[prefix.length] !== SLASH) return null;
    return target.subarray(prefix.length);
  }

  private isProcfsDir(hostDir: Buffer): boolean {
    try {
      return Number(statfsSync(hostDir.toString('latin1')).type) === PROC_SUPER_MAGIC;
    } catch {
      return false;
    }
  }

  private procSelfNames(pid: number, tid: number): { self: string; threadSelf: string } {
    const nsPid = namespacePid(pid, this.procRoot);
    const nsTid = tid === pid ? nsPid : namespacePid(tid, this.procRoot);
    return { self: String(nsPid), threadSelf: `${nsPid}/task/${nsTid}` };
  }

  /** `self` or `thread-self` at the top of a procfs mount: the tracee's own directory. */
  private procSelfTarget(comp: Uint8Array, names: () => { self: string; threadSelf: string }): string | null {
    const name = Buffer.from(comp).toString('latin1');
    if (name !== 'self' && name !== 'thread-self') return null;
    return name === 'self' ? names().self : names().threadSelf;
  }

  /** Components after /<procfs>/PID[/task/TID] when they name a magic link. */
  private magicLinkRest(names: readonly string[]): boolean {
    // Find the procfs-relative tail: .../<pid>/(task/<tid>/)?<rest>
    for (let i = names.length - 1; i >= 0; i--) {
      if (!/^[0-9]+$/.test(names[i]!)) continue;
      const rest = names.slice(i + 1);
      if (isMagicLinkName(rest)) return true;
    }
    return false;
  }

  private throughMagicLink(
    root: Buffer,
    host: Buffer,
    candidate: readonly Uint8Array[],
    rootSeen: string,
  ): ResolveResult {
    let target: Buffer;
    let obj: Stats;
    try {
      target = readlinkSync(host, 'buffer');
      obj = statSync(host);
    } catch (e) {
      const code = errCode(e);
      return { ok: false, errno: code === 'ENOENT' ? 'ENOENT' : 'EACCES', at: join(candidate.slice(0, -1)) };
    }
    if (target[0] !== SLASH) {
      // pipe:[N], socket:[N], anon_inode:[...]: no path; the link's own path is the subject.
      return {
        ok: true,
        path: join(candidate),
        exists: true,
        isDirectory: false,
        dev: obj.dev,
        ino: obj.ino,
        pathless: true,
      };
    }
    const inside = this.insideRoot(target, rootSeen);
    if (!inside) return { ok: false, errno: 'EACCES', at: join(candidate.slice(0, -1)) };
    let again: Stats;
    try {
      again = statSync(Buffer.concat([root, inside]));
    } catch {
      return { ok: false, errno: 'EACCES', at: join(candidate.slice(0, -1)) };
    }
    if (again.dev !== obj.dev || again.ino !== obj.ino) {
      return { ok: false, errno: 'EACCES', at: join(candidate.slice(0, -1)) };
    }
    return {
      ok: true,
      path: inside,
      exists: true,
      isDirectory: obj.isDirectory(),
      dev: obj.dev,
      ino: obj.ino,
    };
  }
}
