/**
 * Changing an existing object's attributes for a trapped call, race-free: chmod, chown,
 * truncate, the utime family and extended attributes. The checked object is pinned (O_PATH,
 * verified by device and inode: see pinChecked) and changed through the pin, never through
 * a second walk of the caller's path, with the caller's credentials: chown through the pin itself
 * (fchownat AT_EMPTY_PATH), the others through our own /proc/self/fd/N, which names the
 * pinned object and nothing else (a symlink pinned as itself stays itself: chmod of it is
 * the kernel's EOPNOTSUPP, as fchmodat2 says for AT_SYMLINK_NOFOLLOW; setxattr through it
 * is lsetxattr of the link).
 */
import { fstatSync } from 'node:fs';
import type { Creds, ThreadCreds } from './creds.js';
import {
  chmodPath,
  chownFd,
  close,
  errno,
  ftruncate,
  nrs,
  openat2,
  removexattrPath,
  setxattrPath,
  syscall,
  utimensPath,
} from './native.js';
import { how } from './open.js';
import { type CheckedObject, onPinnedObject } from './stat.js';

export type AttrCall =
  | { readonly kind: 'chmod'; readonly mode: number }
  /** uid/gid as the supervisor's user namespace sees them; 0xffffffff leaves one unchanged. */
  | { readonly kind: 'chown'; readonly uid: number; readonly gid: number }
  | { readonly kind: 'truncate'; readonly length: bigint }
  /** A native struct timespec[2] (UTIME_NOW/UTIME_OMIT allowed), or null: both now. */
  | { readonly kind: 'utimens'; readonly times: Uint8Array | null }
  /** The name (read once, checked for length by the caller) and the value as read once. */
  | {
      readonly kind: 'setxattr';
      readonly name: Uint8Array;
      readonly value: Uint8Array;
      readonly flags: number;
    }
  | { readonly kind: 'removexattr'; readonly name: Uint8Array };

export interface AttrRequest extends CheckedObject {
  /** The calling thread (supervisor's pid namespace). */
  readonly tid: number;
  readonly call: AttrCall;
}

export type AttrResult = { readonly ok: true } | { readonly errno: number } | { readonly changed: true };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const EINVAL = 22;
const EISDIR = 21;
const AT_FDCWD = -100;
const O_WRONLY = 1;

export function attrForCaller(
  req: AttrRequest,
  creds: Creds,
  thread: ThreadCreds,
  /** SECCOMP_IOCTL_NOTIF_ID_VALID, asked once the caller's root is held. */
  valid: () => boolean,
): AttrResult {
  // truncate's negative length is refused before the lookup, as the kernel does.
  if (req.call.kind === 'truncate' && req.call.length < 0n) return { errno: EINVAL };
  return onPinnedObject(req, creds, thread, valid, (pin, f) => {
    const self = `/proc/self/fd/${pin}`;
    const c = req.call;
    switch (c.kind) {
      case 'chmod':
        return result(chmodPath(self, c.mode & 0o7777));
      case 'chown':
        return result(chownFd(pin, c.uid, c.gid));
      case 'utimens':
        return result(utimensPath(self, c.times));
      case 'setxattr':
        return result(setxattrPath(self, c.name, c.value, c.flags));
      case 'removexattr':
        return result(removexattrPath(self, c.name));
      case 'truncate': {
        // vfs_truncate's own answers for what is not a regular file (an open for writing
        // would block on a FIFO or reach a device).
        const type = fstatSync(pin).mode & S_IFMT;
        if (type === S_IFDIR) return { errno: EISDIR };
        if (type !== S_IFREG) return { errno: EINVAL };
        const fd = openat2(AT_FDCWD, self, how(O_WRONLY | f.O_CLOEXEC | f.O_NOCTTY, 0, 0));
        if (fd < 0) return { errno: errno() };
        try {
          return result(ftruncate(fd, c.length));
        } finally {
          close(fd);
        }
      }
    }
  });
}

const ENOSYS = 38;
const implemented = new Map<string, boolean>();
/** Arguments each call refuses with EINVAL before it touches anything (bad flags, a short struct). */
const PROBES = {
  fchmodat2: [AT_FDCWD, 0, 0, 0xffffffff],
  setxattrat: [-1, 0, 0, 0, 0, 0],
  getxattrat: [-1, 0, 0, 0, 0, 0],
  listxattrat: [-1, 0, 0xffffffff, 0, 0],
  removexattrat: [-1, 0, 0xffffffff, 0],
} as const;

/**
 * Whether the running kernel has this emulated call. The ones newer than user notification
 * itself (fchmodat2 6.6, the *xattrat calls 6.13) are asked once, with arguments the kernel
 * refuses (EINVAL) before doing anything; every other one is there wherever notification is.
 * Where a call is missing it must be continued, for the kernel's ENOSYS: an emulation would
 * make it work.
 */
export function kernelHasAttrCall(name: string): boolean {
  if (!Object.hasOwn(PROBES, name)) return true;
  const probe = name as keyof typeof PROBES;
  let has = implemented.get(probe);
  if (has === undefined) {
    const nr = nrs[probe];
    has = nr >= 0 && (syscall(nr, ...PROBES[probe]) === 0 || errno() !== ENOSYS);
    implemented.set(probe, has);
  }
  return has;
}

function result(r: number): AttrResult {
  return r === 0 ? { ok: true } : { errno: errno() };
}
