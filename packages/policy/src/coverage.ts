/**
 * Which syscalls the policy checks, with which category and which arguments.
 * Arguments are named by their kind's ordinal in @sb/syscalls' argument list
 * (`path: 1` is the second 'path' argument), so calls whose register layout
 * differs between ABIs (fanotify_mark on 32-bit) resolve per architecture.
 */

import type { ErrnoName, Op } from './errno.js';
import type { Category } from './model.js';

/** How the last component's symlink is treated. */
export type Follow =
  | 'follow'
  | 'nofollow'
  /** AT_SYMLINK_NOFOLLOW in the at_flags argument: follow unless set. */
  | 'at-nofollow'
  /** AT_SYMLINK_FOLLOW in the at_flags argument: follow only if set (linkat). */
  | 'at-follow'
  /** O_NOFOLLOW in the open flags (or open_how.flags). */
  | 'open-flags';

export interface PathOperand {
  /** Ordinal among the 'path' arguments (or 'string' ones with pathKind); absent for fd-based calls. */
  readonly path?: number;
  /** Some paths are typed as plain strings in the argument data (symlink, acct, move_mount). */
  readonly pathKind?: 'string';
  /** Where else to find the path if the first place is missing (argument data typed it as a string). */
  readonly alt?: { readonly kind: 'path' | 'string'; readonly ordinal: number };
  /** Ordinal among the 'dirfd' arguments. */
  readonly dirfd?: number;
  /** Ordinal among the 'fd' arguments: the object is this open file (fchmod...). */
  readonly fd?: number;
  readonly follow: Follow;
  /** The last component may be missing (creating calls); 'open-flags': when O_CREAT/O_TMPFILE. */
  readonly missingOk: boolean | 'open-flags';
  /** When an empty (or NULL) path names the dirfd itself. */
  readonly emptyPath?: 'at-flag' | 'always' | 'null-path';
  /** A NULL path means "nothing to check" (acct(NULL), quotactl, fanotify_mark with a dirfd). */
  readonly nullSkips?: boolean;
  /** 'open': read/write/stat decided by the open flags. */
  readonly category: Category | 'open';
  readonly op: Op;
  /** Check this operand only when (argument & mask) != 0, e.g. mount's source with MS_BIND|MS_MOVE. */
  readonly when?: { readonly kind: 'mount_flags'; readonly ordinal: number; readonly mask: number };
}

export type SyscallCheck =
  | {
      readonly kind: 'path';
      readonly operands: readonly PathOperand[];
      readonly flagsFrom?: 'open_flags' | 'open_how';
    }
  | {
      readonly kind: 'net';
      readonly category: 'net/bind' | 'net/connect';
      /** Where the address is: a sockaddr + length, inside a msghdr, or in each mmsghdr of a vector. */
      readonly form: 'sockaddr' | 'msghdr' | 'mmsghdr';
    }
  | { readonly kind: 'socketcall' }
  | {
      /** Path-taking calls whose arguments we have no data for: denied while a file category is on. */
      readonly kind: 'opaque';
      readonly categories: readonly Category[];
      readonly errno: ErrnoName;
      readonly why: string;
    }
  | {
      readonly kind: 'unsafe';
      readonly option: 'openByHandleAt' | 'nameToHandleAt' | 'ioUring' | 'crossProcess' | 'chroot';
      /** Denied when any of these categories is on. */
      readonly categories: readonly Category[];
      readonly errno: ErrnoName;
      readonly why: string;
    };

const ANY_FS: readonly Category[] = ['read', 'write', 'stat'];

function newRoot(why: string): SyscallCheck {
  return { kind: 'unsafe', option: 'chroot', categories: [...ANY_FS, 'exec'], errno: 'EPERM', why };
}

function crossProcess(why: string): SyscallCheck {
  return {
    kind: 'unsafe',
    option: 'crossProcess',
    categories: [...ANY_FS, 'exec', 'net/bind', 'net/connect'],
    errno: 'EPERM',
    why,
  };
}

const p = (o: Partial<PathOperand> & Pick<PathOperand, 'category' | 'op'>): PathOperand => ({
  follow: 'follow',
  missingOk: false,
  ...o,
});

const lookup = (o: Partial<PathOperand> = {}) => p({ path: 0, category: 'stat', op: 'lookup', ...o });
const at = (o: Partial<PathOperand> & Pick<PathOperand, 'category' | 'op'>) =>
  p({ dirfd: 0, path: 0, follow: 'at-nofollow', emptyPath: 'at-flag', ...o });
const path1 = (...operands: PathOperand[]): SyscallCheck => ({ kind: 'path', operands });

const openOperand = (dirfd: boolean) =>
  p({
    ...(dirfd ? { dirfd: 0 } : {}),
    path: 0,
    follow: 'open-flags',
    missingOk: 'open-flags',
    category: 'open',
    op: 'open',
  });

/** The table. Every path- or address-taking syscall of every ABI is here or in NOT_CHECKED. */
export const COVERAGE: Readonly<Record<string, SyscallCheck>> = {
  // open family: flags decide read / write / stat (O_PATH)
  open: { kind: 'path', operands: [openOperand(false)], flagsFrom: 'open_flags' },
  openat: { kind: 'path', operands: [openOperand(true)], flagsFrom: 'open_flags' },
  openat2: { kind: 'path', operands: [openOperand(true)], flagsFrom: 'open_how' },
  creat: path1(p({ path: 0, missingOk: true, category: 'write', op: 'open' })),
  // exec
  execve: path1(p({ path: 0, category: 'exec', op: 'exec' })),
  execveat: path1(at({ category: 'exec', op: 'exec' })),
  uselib: path1(p({ path: 0, category: 'exec', op: 'exec' })),
  // stat family and other lookups
  stat: path1(lookup()),
  stat64: path1(lookup()),
  oldstat: path1(lookup()),
  lstat: path1(lookup({ follow: 'nofollow' })),
  lstat64: path1(lookup({ follow: 'nofollow' })),
  oldlstat: path1(lookup({ follow: 'nofollow' })),
  newfstatat: path1(at({ category: 'stat', op: 'lookup' })),
  fstatat64: path1(at({ category: 'stat', op: 'lookup' })),
  statx: path1(at({ category: 'stat', op: 'lookup' })),
  access: path1(lookup()),
  faccessat: path1(lookup({ dirfd: 0 })),
  faccessat2: path1(at({ category: 'stat', op: 'lookup' })),
  readlink: path1(lookup({ follow: 'nofollow' })),
  readlinkat: path1(lookup({ dirfd: 0, follow: 'nofollow', emptyPath: 'always' })),
  statfs: path1(lookup()),
  statfs64: path1(lookup()),
  chdir: path1(lookup()),
  fchdir: path1(p({ fd: 0, category: 'stat', op: 'lookup' })),
  file_getattr: path1(at({ category: 'stat', op: 'lookup' })),
  // reading data that is not file contents
  getxattr: path1(p({ path: 0, category: 'read', op: 'read-data' })),
  lgetxattr: path1(p({ path: 0, follow: 'nofollow', category: 'read', op: 'read-data' })),
  listxattr: path1(p({ path: 0, category: 'read', op: 'read-data' })),
  llistxattr: path1(p({ path: 0, follow: 'nofollow', category: 'read', op: 'read-data' })),
  getxattrat: path1(at({ category: 'read', op: 'read-data' })),
  listxattrat: path1(at({ category: 'read', op: 'read-data' })),
  inotify_add_watch: path1(p({ path: 0, category: 'read', op: 'read-data' })),
  fanotify_mark: path1(
    p({ dirfd: 0, path: 0, nullSkips: false, emptyPath: 'null-path', category: 'read', op: 'read-data' }),
  ),
  // metadata writes
  chmod: path1(p({ path: 0, category: 'write', op: 'owner' })),
  fchmodat: path1(p({ dirfd: 0, path: 0, category: 'write', op: 'owner' })),
  fchmodat2: path1(at({ category: 'write', op: 'owner' })),
  fchmod: path1(p({ fd: 0, category: 'write', op: 'owner' })),
  chown: path1(p({ path: 0, category: 'write', op: 'owner' })),
  chown32: path1(p({ path: 0, category: 'write', op: 'owner' })),
  lchown: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'owner' })),
  lchown32: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'owner' })),
  fchownat: path1(at({ category: 'write', op: 'owner' })),
  fchown: path1(p({ fd: 0, category: 'write', op: 'owner' })),
  fchown32: path1(p({ fd: 0, category: 'write', op: 'owner' })),
  utime: path1(p({ path: 0, category: 'write', op: 'times' })),
  utimes: path1(p({ path: 0, category: 'write', op: 'times' })),
  futimesat: path1(p({ dirfd: 0, path: 0, emptyPath: 'null-path', category: 'write', op: 'times' })),
  utimensat: path1(at({ emptyPath: 'null-path', category: 'write', op: 'times' })),
  utimensat_time64: path1(at({ emptyPath: 'null-path', category: 'write', op: 'times' })),
  setxattr: path1(p({ path: 0, category: 'write', op: 'xattr' })),
  lsetxattr: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'xattr' })),
  removexattr: path1(p({ path: 0, category: 'write', op: 'xattr' })),
  lremovexattr: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'xattr' })),
  setxattrat: path1(at({ category: 'write', op: 'xattr' })),
  removexattrat: path1(at({ category: 'write', op: 'xattr' })),
  fsetxattr: path1(p({ fd: 0, category: 'write', op: 'xattr' })),
  fremovexattr: path1(p({ fd: 0, category: 'write', op: 'xattr' })),
  file_setattr: path1(at({ category: 'write', op: 'xattr' })),
  truncate: path1(p({ path: 0, alt: { kind: 'string', ordinal: 0 }, category: 'write', op: 'truncate' })),
  truncate64: path1(p({ path: 0, category: 'write', op: 'truncate' })),
  // namespace changes
  mkdir: path1(p({ path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' })),
  mkdirat: path1(
    p({ dirfd: 0, path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  mknod: path1(p({ path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' })),
  mknodat: path1(
    p({ dirfd: 0, path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  rmdir: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'remove' })),
  unlink: path1(p({ path: 0, follow: 'nofollow', category: 'write', op: 'remove' })),
  unlinkat: path1(p({ dirfd: 0, path: 0, follow: 'nofollow', category: 'write', op: 'remove' })),
  // link(2) gives the old file a new, possibly writable name: the old name is checked as a write too.
  link: path1(
    p({ path: 0, follow: 'nofollow', category: 'write', op: 'link-source' }),
    p({ path: 1, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  linkat: path1(
    p({ dirfd: 0, path: 0, follow: 'at-follow', emptyPath: 'at-flag', category: 'write', op: 'link-source' }),
    p({ dirfd: 1, path: 1, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  // symlink's target is only text; the new name is what is written.
  symlink: path1(
    p({
      path: 0,
      alt: { kind: 'string', ordinal: 1 },
      follow: 'nofollow',
      missingOk: true,
      category: 'write',
      op: 'create-excl',
    }),
  ),
  symlinkat: path1(
    p({ dirfd: 0, path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  rename: path1(
    p({ path: 0, follow: 'nofollow', category: 'write', op: 'remove' }),
    p({ path: 1, follow: 'nofollow', missingOk: true, category: 'write', op: 'rename' }),
  ),
  renameat: path1(
    p({ dirfd: 0, path: 0, follow: 'nofollow', category: 'write', op: 'remove' }),
    p({ dirfd: 1, path: 1, follow: 'nofollow', missingOk: true, category: 'write', op: 'rename' }),
  ),
  renameat2: path1(
    p({ dirfd: 0, path: 0, follow: 'nofollow', category: 'write', op: 'remove' }),
    p({ dirfd: 1, path: 1, follow: 'nofollow', missingOk: true, category: 'write', op: 'rename' }),
  ),
  // mounts: the target, and the source of bind and move mounts (a bind mount would re-expose a denied tree)
  mount: path1(
    p({
      path: 0,
      category: 'write',
      op: 'mount',
      when: { kind: 'mount_flags', ordinal: 0, mask: 0x1000 | 0x2000 },
    }),
    p({ path: 1, category: 'write', op: 'mount' }),
  ),
  umount: path1(p({ path: 0, category: 'write', op: 'mount' })),
  umount2: path1(p({ path: 0, category: 'write', op: 'mount' })),
  oldumount: path1(p({ path: 0, category: 'write', op: 'mount' })),
  open_tree: path1(at({ category: 'write', op: 'mount' })),
  open_tree_attr: path1(at({ category: 'write', op: 'mount' })),
  move_mount: path1(
    p({
      dirfd: 0,
      path: 0,
      alt: { kind: 'string', ordinal: 0 },
      emptyPath: 'always',
      category: 'write',
      op: 'mount',
    }),
    p({
      dirfd: 1,
      path: 1,
      alt: { kind: 'string', ordinal: 1 },
      emptyPath: 'always',
      category: 'write',
      op: 'mount',
    }),
  ),
  fspick: path1(at({ category: 'write', op: 'mount' })),
  mount_setattr: path1(at({ category: 'write', op: 'mount' })),
  // privileged calls that name files
  swapon: path1(p({ path: 0, category: 'write', op: 'admin' })),
  swapoff: path1(p({ path: 0, category: 'write', op: 'admin' })),
  acct: path1(
    p({ path: 0, alt: { kind: 'string', ordinal: 0 }, nullSkips: true, category: 'write', op: 'admin' }),
  ),
  osf_swapon: path1(p({ path: 0, category: 'write', op: 'admin' })),
  quotactl: path1(p({ path: 0, nullSkips: true, category: 'write', op: 'admin' })),
  spu_create: path1(
    p({ path: 0, follow: 'nofollow', missingOk: true, category: 'write', op: 'create-excl' }),
  ),
  // network
  bind: { kind: 'net', category: 'net/bind', form: 'sockaddr' },
  connect: { kind: 'net', category: 'net/connect', form: 'sockaddr' },
  sendto: { kind: 'net', category: 'net/connect', form: 'sockaddr' },
  sendmsg: { kind: 'net', category: 'net/connect', form: 'msghdr' },
  sendmmsg: { kind: 'net', category: 'net/connect', form: 'mmsghdr' },
  socketcall: { kind: 'socketcall' },
  // calls that cannot be checked safely
  open_by_handle_at: {
    kind: 'unsafe',
    option: 'openByHandleAt',
    categories: ANY_FS,
    errno: 'EPERM',
    why: 'opens a file by handle, with no path to check',
  },
  name_to_handle_at: {
    kind: 'unsafe',
    option: 'nameToHandleAt',
    categories: ANY_FS,
    errno: 'EOPNOTSUPP',
    why: 'makes handles for open_by_handle_at',
  },
  io_uring_setup: {
    kind: 'unsafe',
    option: 'ioUring',
    categories: [...ANY_FS, 'net/bind', 'net/connect'],
    errno: 'EPERM',
    why: 'io_uring operations (openat, connect, bind...) never pass through seccomp',
  },
  io_uring_enter: {
    kind: 'unsafe',
    option: 'ioUring',
    categories: [...ANY_FS, 'net/bind', 'net/connect'],
    errno: 'EPERM',
    why: 'io_uring operations never pass through seccomp',
  },
  io_uring_register: {
    kind: 'unsafe',
    option: 'ioUring',
    categories: [...ANY_FS, 'net/bind', 'net/connect'],
    errno: 'EPERM',
    why: 'io_uring operations never pass through seccomp',
  },
  // Later paths would resolve against the new root while rules name the host's paths.
  chroot: newRoot('changes the root later paths are resolved against'),
  pivot_root: newRoot('changes the root later paths are resolved against'),
  // Every process of the sandbox is already traced, so these can only reach processes
  // outside it (the user's shell, the supervisor): code execution there is an escape.
  ptrace: crossProcess('attaches to a process outside the sandbox'),
  process_vm_readv: crossProcess("reads another process's memory"),
  process_vm_writev: crossProcess("writes another process's memory"),
  pidfd_getfd: crossProcess("copies another process's file descriptors"),
};

const OSF = (why: string): SyscallCheck => ({
  kind: 'opaque',
  categories: [...ANY_FS, 'exec'],
  errno: 'ENOSYS',
  why,
});

/** alpha's OSF/1 compatibility calls that take paths; the tables hold no argument data for them. */
export const OPAQUE: Readonly<Record<string, SyscallCheck>> = {
  osf_stat: OSF('OSF/1 stat'),
  osf_lstat: OSF('OSF/1 lstat'),
  osf_old_stat: OSF('OSF/1 stat'),
  osf_old_lstat: OSF('OSF/1 lstat'),
  osf_statfs: OSF('OSF/1 statfs'),
  osf_statfs64: OSF('OSF/1 statfs'),
  osf_utimes: OSF('OSF/1 utimes'),
  osf_mount: OSF('OSF/1 mount'),
  osf_old_open: OSF('OSF/1 open'),
  osf_old_creat: OSF('OSF/1 creat'),
  osf_execve: OSF('OSF/1 execve'),
  execv: OSF('OSF/1 execv'),
  osf_chflags: OSF('OSF/1 chflags'),
  osf_pathconf: OSF('OSF/1 pathconf'),
  osf_getfh: OSF('OSF/1 getfh (file handles)'),
  osf_revoke: OSF('OSF/1 revoke'),
  osf_fuser: OSF('OSF/1 fuser'),
  osf_exportfs: OSF('OSF/1 exportfs'),
  osf_getmnt: OSF('OSF/1 getmnt'),
};

/**
 * Calls with a path or address argument that are deliberately not checked, and why.
 * The coverage test fails for any such call that is in neither table.
 */
export const NOT_CHECKED: Readonly<Record<string, string>> = {
  accept: 'the address is an output',
  accept4: 'the address is an output',
  getsockname: 'the address is an output',
  getpeername: 'the address is an output',
  recvfrom: 'the address is an output',
  recvmsg: 'the address is an output',
  recvmmsg: 'the address is an output',
  recvmmsg_time64: 'the address is an output',
  getcwd: 'the path is an output',
  lookup_dcookie: 'the path is an output',
  fsopen: 'names a file system type, not a path',
  fsconfig: 'a new mount is attached to the tree only by move_mount, which is checked',
  memfd_create: 'the name is a label, not a path',
  mq_open: 'message queue names live in their own namespace',
  mq_unlink: 'message queue names live in their own namespace',
};

/** The socketcall(2) sub-calls we check (the others carry no address to check). */
export const SOCKETCALL_CHECKED: Readonly<Record<string, SyscallCheck>> = {
  bind: COVERAGE.bind!,
  connect: COVERAGE.connect!,
  sendto: COVERAGE.sendto!,
  sendmsg: COVERAGE.sendmsg!,
  sendmmsg: COVERAGE.sendmmsg!,
};

/** Trace ids (SECCOMP_RET_DATA) of the checks the supervisor must make. */
export const TRACE_IDS: Readonly<Record<Category | 'open' | 'socketcall', number>> = {
  read: 1,
  write: 2,
  exec: 3,
  stat: 4,
  'net/bind': 5,
  'net/connect': 6,
  open: 7,
  socketcall: 8,
};
