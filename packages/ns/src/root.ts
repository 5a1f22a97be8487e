/**
 * The new root, built like bubblewrap's: a tmpfs over /tmp becomes the root by a
 * first pivot_root (the host's root stays reachable at /oldroot, the new one is
 * /newroot), the operations run in the order given (sources under /oldroot,
 * destinations under /newroot), then the host's root is detached and /newroot
 * becomes / by a second pivot_root.
 */
import { posix } from 'node:path';
import {
  AT_FDCWD,
  AT_RECURSIVE,
  ERRNO,
  MNT_DETACH,
  MOUNT_ATTR_NODEV,
  MOUNT_ATTR_NOSUID,
  MOUNT_ATTR_RDONLY,
  MOUNT_ATTR_SIZE,
  MS_BIND,
  MS_NODEV,
  MS_NOEXEC,
  MS_NOSUID,
  MS_RDONLY,
  MS_REC,
  MS_REMOUNT,
  MS_SILENT,
  O_CLOEXEC,
  O_CREAT,
  O_TRUNC,
  O_WRONLY,
} from './constants.js';
import type { HostInfo } from './host.js';
import type { MountOp } from './options.js';
import { NamespaceOptionsError } from './options.js';
import { bytes, int, result, type Steps, str } from './steps.js';

const BASE = '/tmp';
const NEW = '/newroot';
const OLD = '/oldroot';
const O_RDONLY = 0n;
const DEV_NODES = ['null', 'zero', 'full', 'random', 'urandom', 'tty'] as const;
const DEV_LINKS: readonly [string, string][] = [
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
  ['fd', '/proc/self/fd'],
  ['core', '/proc/kcore'],
];
/** /proc files that change the host (or the namespace) when written: read-only, as bwrap does. */
const PROC_READONLY = ['sys', 'sysrq-trigger', 'irq', 'bus'] as const;

const octal = (m: number) => `0${m.toString(8)}`;

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
};
const explain = (code: string) => `${ERRNO_TEXT[code] ?? 'error'} (${code})`;

function attrBytes(set: bigint): Uint8Array {
  const b = new DataView(new ArrayBuffer(MOUNT_ATTR_SIZE));
  b.setBigUint64(0, set, true); // attr_set; attr_clr, propagation, userns_fd stay 0
  return new Uint8Array(b.buffer);
}

interface Restrict {
  readonly rdonly: boolean;
  readonly nosuid: boolean;
  readonly nodev: boolean;
}

/** Emits the steps that build the root from `ops` (the mount namespace exists and is private). */
export function buildRoot(s: Steps, ops: readonly MountOp[], host: HostInfo): void {
  /** Flags of mounts made inside the new root, by destination (for remounts without mount_setattr). */
  const made = new Map<string, number>([['/', MS_NOSUID | MS_NODEV]]);
  const madeDirs = new Set<string>(['/']);
  const at = (dest: string) => (dest === '/' ? NEW : `${NEW}${dest}`);

  const mkdirs = (dir: string) => {
    const parts = dir.split('/').filter(Boolean);
    let p = '';
    for (const part of parts) {
      p += `/${part}`;
      if (madeDirs.has(p)) continue;
      madeDirs.add(p);
      s.sys(`mkdir ${p}`, 'mkdirat', [AT_FDCWD, str(at(p)), int(0o755)], { okErrnos: [ERRNO.EEXIST] });
    }
  };
  const touch = (dest: string) => {
    mkdirs(posix.dirname(dest));
    const fd = s.name('fd');
    s.sys(`create ${dest}`, 'openat', [AT_FDCWD, str(at(dest)), O_RDONLY | O_CREAT | O_CLOEXEC, int(0o644)], {
      save: fd,
    });
    s.sys(`create ${dest}: close`, 'close', [result(fd)]);
  };
  const holderFlags = (dest: string) => {
    let best = '/';
    for (const p of made.keys())
      if ((dest === p || dest.startsWith(`${p}/`) || p === '/') && p.length > best.length) best = p;
    return made.get(best) ?? MS_NOSUID | MS_NODEV;
  };
  /** Adds restrictions to the mount at dest (and the ones below it when `recursive`). */
  const restrict = (
    step: string,
    dest: string,
    r: Restrict,
    recursive: boolean,
    hostSource: string | null,
  ) => {
    const want = (r.rdonly ? MS_RDONLY : 0) | (r.nosuid ? MS_NOSUID : 0) | (r.nodev ? MS_NODEV : 0);
    if (host.mountSetattr) {
      const set =
        (r.rdonly ? MOUNT_ATTR_RDONLY : 0n) |
        (r.nosuid ? MOUNT_ATTR_NOSUID : 0n) |
        (r.nodev ? MOUNT_ATTR_NODEV : 0n);
      if (set === 0n) return;
      s.sys(step, 'mount_setattr', [
        AT_FDCWD,
        str(at(dest)),
        recursive ? AT_RECURSIVE : 0n,
        bytes(attrBytes(set)),
        int(MOUNT_ATTR_SIZE),
      ]);
      made.set(dest, holderFlags(dest) | want);
      return;
    }
    // Before 5.12: MS_REMOUNT of each mount, keeping the flags a user namespace locks.
    const mounts =
      hostSource !== null
        ? host
            .mountsUnder(hostSource)
            .map((m) => ({ dest: posix.join(dest, m.path.slice(hostSource.length)), flags: m.flags }))
        : [{ dest, flags: holderFlags(dest) }];
    for (const m of recursive ? mounts : mounts.slice(0, 1)) {
      const flags = m.flags | want | MS_BIND | MS_REMOUNT | MS_SILENT;
      s.sys(m.dest === dest ? step : `${step}: ${m.dest}`, 'mount', [
        0n,
        str(at(m.dest)),
        0n,
        int(flags),
        0n,
      ]);
    }
    made.set(dest, (mounts[0]?.flags ?? 0) | want);
  };

  // The scaffold: a tmpfs root holding newroot (bound onto itself) and the host's old root.
  s.sys(`tmpfs on ${BASE} (scaffold)`, 'mount', [
    str('tmpfs'),
    str(BASE),
    str('tmpfs'),
    int(MS_NODEV | MS_NOSUID),
    str('mode=0755'),
  ]);
  s.sys(`chdir ${BASE}`, 'chdir', [str(BASE)]);
  s.sys('mkdir newroot', 'mkdirat', [AT_FDCWD, str('newroot'), int(0o755)]);
  s.sys('bind newroot', 'mount', [str('newroot'), str('newroot'), 0n, int(MS_BIND | MS_REC | MS_SILENT), 0n]);
  s.sys('mkdir oldroot', 'mkdirat', [AT_FDCWD, str('oldroot'), int(0o755)]);
  s.sys('pivot_root (scaffold)', 'pivot_root', [str(BASE), str('oldroot')]);
  s.sys('chdir /', 'chdir', [str('/')]);

  for (const op of ops) {
    const dest = posix.normalize(op.dest);
    const D = at(dest);
    switch (op.op) {
      case 'bind':
      case 'ro-bind':
      case 'dev-bind': {
        const source = posix.resolve(host.cwd, op.source);
        const found = host.lookup(source);
        const what = `--${op.op}${op.try ? '-try' : ''} ${op.source} ${op.dest}`;
        if ('error' in found) {
          if (op.try && (found.error === 'ENOENT' || found.error === 'ENOTDIR')) break;
          throw new NamespaceOptionsError(
            `${what}: cannot use the source ${source}: ${explain(found.error)}`,
          );
        }
        if (found.kind === 'dir') {
          mkdirs(dest);
        } else touch(dest);
        const ok = s.name('bind');
        const from = found.real === '/' ? OLD : `${OLD}${found.real}`;
        s.sys(
          `bind ${found.real} on ${dest}`,
          'mount',
          [str(from), str(D), 0n, int(MS_BIND | MS_REC | MS_SILENT), 0n],
          {
            save: ok,
            ...(op.try ? { okErrnos: [ERRNO.ENOENT] } : {}),
          },
        );
        made.set(dest, MS_NOSUID);
        const r = { rdonly: op.op === 'ro-bind', nosuid: true, nodev: op.op !== 'dev-bind' };
        const body = () =>
          restrict(
            `${op.op} ${dest}: ${r.rdonly ? 'read-only, ' : ''}nosuid${r.nodev ? ', nodev' : ''}`,
            dest,
            r,
            true,
            found.real,
          );
        if (op.try) s.onlyIf(ok, body);
        else body();
        break;
      }
      case 'tmpfs': {
        mkdirs(dest);
        const data = `mode=${octal(op.mode ?? 0o755)}${op.size !== undefined ? `,size=${op.size}` : ''}`;
        s.sys(`tmpfs on ${dest}`, 'mount', [
          str('tmpfs'),
          str(D),
          str('tmpfs'),
          int(MS_NOSUID | MS_NODEV),
          str(data),
        ]);
        made.set(dest, MS_NOSUID | MS_NODEV);
        break;
      }
      case 'proc': {
        mkdirs(dest);
        s.sys(`proc on ${dest}`, 'mount', [
          str('proc'),
          str(D),
          str('proc'),
          int(MS_NOSUID | MS_NODEV | MS_NOEXEC),
          0n,
        ]);
        made.set(dest, MS_NOSUID | MS_NODEV | MS_NOEXEC);
        for (const sub of PROC_READONLY) {
          const p = `${D}/${sub}`;
          const ok = s.name('proc');
          s.sys(
            `proc: bind ${dest}/${sub}`,
            'mount',
            [str(p), str(p), 0n, int(MS_BIND | MS_REC | MS_SILENT), 0n],
            {
              save: ok,
              okErrnos: [ERRNO.ENOENT],
            },
          );
          made.set(posix.join(dest, sub), MS_NOSUID | MS_NODEV | MS_NOEXEC);
          s.onlyIf(ok, () =>
            restrict(
              `proc: ${dest}/${sub} read-only`,
              posix.join(dest, sub),
              { rdonly: true, nosuid: true, nodev: true },
              true,
              null,
            ),
          );
        }
        break;
      }
      case 'dev': {
        mkdirs(dest);
        s.sys(`dev: tmpfs on ${dest}`, 'mount', [
          str('tmpfs'),
          str(D),
          str('tmpfs'),
          int(MS_NOSUID | MS_NODEV),
          str('mode=0755'),
        ]);
        made.set(dest, MS_NOSUID | MS_NODEV);
        for (const node of DEV_NODES) {
          const d = posix.join(dest, node);
          madeDirs.add(dest);
          touch(d);
          s.sys(`dev: bind /dev/${node}`, 'mount', [
            str(`${OLD}/dev/${node}`),
            str(at(d)),
            0n,
            int(MS_BIND | MS_SILENT),
            0n,
          ]);
          restrict(
            `dev: /dev/${node} nosuid`,
            d,
            { rdonly: false, nosuid: true, nodev: false },
            false,
            `/dev/${node}`,
          );
        }
        for (const [name, target] of DEV_LINKS) {
          s.sys(`dev: symlink ${dest}/${name}`, 'symlinkat', [str(target), AT_FDCWD, str(`${D}/${name}`)]);
        }
        s.sys(`dev: mkdir ${dest}/shm`, 'mkdirat', [AT_FDCWD, str(`${D}/shm`), int(0o1777)]);
        s.sys(`dev: tmpfs on ${dest}/shm`, 'mount', [
          str('tmpfs'),
          str(`${D}/shm`),
          str('tmpfs'),
          int(MS_NOSUID | MS_NODEV),
          str('mode=01777'),
        ]);
        s.sys(`dev: mkdir ${dest}/pts`, 'mkdirat', [AT_FDCWD, str(`${D}/pts`), int(0o755)]);
        s.sys(`dev: devpts on ${dest}/pts`, 'mount', [
          str('devpts'),
          str(`${D}/pts`),
          str('devpts'),
          int(MS_NOSUID | MS_NOEXEC),
          str('newinstance,ptmxmode=0666,mode=620'),
        ]);
        s.sys(`dev: symlink ${dest}/ptmx`, 'symlinkat', [str('pts/ptmx'), AT_FDCWD, str(`${D}/ptmx`)]);
        break;
      }
      case 'mqueue':
        mkdirs(dest);
        s.sys(`mqueue on ${dest}`, 'mount', [
          str('mqueue'),
          str(D),
          str('mqueue'),
          int(MS_NOSUID | MS_NODEV | MS_NOEXEC),
          0n,
        ]);
        made.set(dest, MS_NOSUID | MS_NODEV | MS_NOEXEC);
        break;
      case 'dir':
        mkdirs(dest);
        if (op.mode !== undefined) s.sys(`chmod ${dest}`, 'fchmodat', [AT_FDCWD, str(D), int(op.mode), 0n]);
        break;
      case 'symlink':
        mkdirs(posix.dirname(dest));
        s.sys(`symlink ${dest} -> ${op.target}`, 'symlinkat', [str(op.target), AT_FDCWD, str(D)]);
        break;
      case 'file': {
        mkdirs(posix.dirname(dest));
        const content = typeof op.content === 'string' ? new TextEncoder().encode(op.content) : op.content;
        const fd = s.name('file');
        const mode = op.mode ?? (op.readOnly ? 0o444 : 0o666);
        s.sys(
          `file ${dest}`,
          'openat',
          [AT_FDCWD, str(D), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, int(mode)],
          { save: fd },
        );
        if (content.length > 0)
          s.sys(`file ${dest}: write`, 'write', [result(fd), bytes(content), int(content.length)]);
        s.sys(`file ${dest}: close`, 'close', [result(fd)]);
        // The stub's umask masked the mode.
        s.sys(`file ${dest}: chmod`, 'fchmodat', [AT_FDCWD, str(D), int(mode), 0n]);
        if (op.readOnly) {
          s.sys(`file ${dest}: bind`, 'mount', [str(D), str(D), 0n, int(MS_BIND | MS_SILENT), 0n]);
          made.set(dest, holderFlags(dest));
          restrict(`file ${dest}: read-only`, dest, { rdonly: true, nosuid: true, nodev: true }, false, null);
        }
        break;
      }
      case 'remount-ro':
        restrict(`remount-ro ${dest}`, dest, { rdonly: true, nosuid: false, nodev: false }, false, null);
        break;
      case 'chmod':
        s.sys(`chmod ${dest}`, 'fchmodat', [AT_FDCWD, str(D), int(op.mode), 0n]);
        break;
    }
  }

  // Detach the host's root, make /newroot the root (pivot onto itself, then drop the scaffold).
  s.sys('detach the old root', 'umount2', [str(OLD), MNT_DETACH]);
  s.sys(`chdir ${NEW}`, 'chdir', [str(NEW)]);
  s.sys('pivot_root', 'pivot_root', [str('.'), str('.')]);
  s.sys('detach the scaffold', 'umount2', [str('.'), MNT_DETACH]);
  s.sys('chdir / (new root)', 'chdir', [str('/')]);
}
