/**
 * What the compiler needs to know about the host, behind an interface so the step
 * generation is tested as data: ids, source paths, mount flags, subordinate ids.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import {
  MS_NOATIME,
  MS_NODEV,
  MS_NODIRATIME,
  MS_NOEXEC,
  MS_NOSUID,
  MS_RDONLY,
  MS_RELATIME,
  MS_STRICTATIME,
} from './constants.js';

export type SourceLookup =
  | { readonly kind: 'dir' | 'file'; readonly real: string }
  | { readonly error: string };

export interface HostMount {
  /** Mount point on the host. */
  readonly path: string;
  /** MS_* flags of this mount (ro, nosuid, nodev, noexec, atime). */
  readonly flags: number;
}

export interface HostInfo {
  /** Effective ids of the caller (they are mapped into a user namespace). */
  readonly uid: number;
  readonly gid: number;
  /** The caller's working directory: relative sources resolve against it. */
  readonly cwd: string;
  /** A source path's real path and kind, or why it cannot be used (an errno code). */
  lookup(path: string): SourceLookup;
  /** The mount holding `path` and every mount below it, outermost first. */
  mountsUnder(path: string): readonly HostMount[];
  /** The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap). */
  readonly capLastCap: number;
  /** mount_setattr(2) exists (Linux 5.12): read-only binds are recursive and keep locked flags by themselves. */
  readonly mountSetattr: boolean;
  /** The caller's subordinate id range, for newuidmap/newgidmap. */
  subordinate(kind: 'uid' | 'gid'): { readonly start: number; readonly count: number } | null;
  /** Whether this process may create a user namespace (for `user: 'try'`). */
  readonly userNamespaces: boolean;
}

/** The flags a mountinfo line's per-mount options stand for. */
export function mountFlags(options: string): number {
  let f = 0;
  let atime = MS_STRICTATIME;
  for (const o of options.split(',')) {
    if (o === 'ro') f |= MS_RDONLY;
    else if (o === 'nosuid') f |= MS_NOSUID;
    else if (o === 'nodev') f |= MS_NODEV;
    else if (o === 'noexec') f |= MS_NOEXEC;
    else if (o === 'noatime') atime = MS_NOATIME;
    else if (o === 'relatime') atime = MS_RELATIME;
    else if (o === 'nodiratime') f |= MS_NODIRATIME;
  }
  return f | atime;
}

/** Mount points and flags from /proc/self/mountinfo text (octal escapes decoded). */
export function parseMountinfo(text: string): HostMount[] {
  const out: HostMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    if (fields.length < 6) continue;
    const path = fields[4]!.replace(/\\([0-7]{3})/g, (_, o: string) =>
      String.fromCharCode(Number.parseInt(o, 8)),
    );
    out.push({ path, flags: mountFlags(fields[5]!) });
  }
  return out;
}

const under = (path: string, dir: string) => dir === '/' || path === dir || path.startsWith(`${dir}/`);

/** The mount holding `path` (the last one listed at the longest prefix) and the mounts below it. */
export function mountsUnder(mounts: readonly HostMount[], path: string): HostMount[] {
  let holder: HostMount | undefined;
  for (const m of mounts)
    if (under(path, m.path) && (holder === undefined || m.path.length >= holder.path.length)) holder = m;
  const below = mounts.filter((m) => m.path !== path && under(m.path, path));
  return [...(holder ? [{ path, flags: holder.flags }] : []), ...below];
}

function subordinate(file: string, name: string, id: number): { start: number; count: number } | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if ((who === name || who === String(id)) && start !== undefined && count !== undefined) {
      const s = Number(start);
      const c = Number(count);
      if (Number.isInteger(s) && Number.isInteger(c) && c > 0) return { start: s, count: c };
    }
  }
  return null;
}

/** The real host, read when asked. `probe` says whether user namespaces can be created here. */
export function realHost(probe: { mountSetattr: boolean; userNamespaces: boolean }): HostInfo {
  const uid = process.geteuid?.() ?? 0;
  const gid = process.getegid?.() ?? 0;
  let mounts: HostMount[] | null = null;
  let lastCap = 40;
  try {
    lastCap = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8').trim());
  } catch {
    // Kernels before 3.2 lack the file: the header's list is the best guess.
  }
  const name = (() => {
    try {
      return userInfo().username;
    } catch {
      return String(uid);
    }
  })();
  return {
    uid,
    gid,
    cwd: process.cwd(),
    lookup(path) {
      try {
        const real = realpathSync(path);
        const st = statSync(real);
        return { kind: st.isDirectory() ? 'dir' : 'file', real };
      } catch (e) {
        return { error: (e as NodeJS.ErrnoException).code ?? 'EINVAL' };
      }
    },
    mountsUnder(path) {
      mounts ??= parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8'));
      return mountsUnder(mounts, path);
    },
    capLastCap: lastCap,
    mountSetattr: probe.mountSetattr,
    subordinate: (kind) => subordinate(`/etc/sub${kind}`, name, kind === 'uid' ? uid : gid),
    get userNamespaces() {
      return probe.userNamespaces;
    },
  };
}
