/**
 * Which errno a denied call returns. The aim: the error a program would get
 * from the kernel if the file system itself refused, and never an errno that
 * tells the sandboxed program more than it may know (an existence oracle).
 *
 * "Hidden" means the stat category would deny the path: the program may not
 * learn whether it exists. For a hidden path every operation answers the same
 * whether or not the path exists: ENOENT for operations on an existing object,
 * EACCES for operations that create one (as if it were missing and the
 * directory not writable). For a visible path the kernel's own order is kept:
 * a creating call on an existing name fails with EEXIST before any permission
 * check, so the sandbox returns EEXIST too (and does not report it unless
 * raise_safe is set, as sydbox-1 did).
 */

/** What a checked operation does to its object; decides the errno. */
export type Op =
  | 'lookup' // stat, access, readlink, statfs, chdir: reveals existence and metadata
  | 'open' // open an existing or new file (read or write by flags)
  | 'create-excl' // mkdir, mknod, symlink, link's new name, O_CREAT|O_EXCL, RENAME_NOREPLACE: fails with EEXIST on an existing name
  | 'remove' // unlink, rmdir, the old name of rename
  | 'rename' // the new name of rename (replaces)
  | 'link-source' // the existing file link() gives a new name
  | 'owner' // chmod, chown: the kernel refuses non-owners with EPERM
  | 'times' // utime family
  | 'xattr' // set/remove extended attributes
  | 'read-data' // getxattr, listxattr, inotify/fanotify watches
  | 'truncate'
  | 'mount' // mount, umount, pivot_root and the new mount API: EPERM
  | 'exec'
  | 'admin' // swapon, swapoff, acct, quotactl, chroot: privileged, EPERM
  | 'bind'
  | 'connect';

export type ErrnoName =
  | 'EACCES'
  | 'EPERM'
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTDIR'
  | 'ECONNREFUSED'
  | 'EADDRNOTAVAIL'
  | 'EAFNOSUPPORT'
  | 'EINVAL'
  | 'EFAULT'
  | 'ELOOP'
  | 'ENAMETOOLONG'
  | 'EOPNOTSUPP'
  | 'EBADF'
  | 'ENOSYS'
  | 'EBUSY';

export interface ErrnoContext {
  /** The object exists (for create-excl). */
  readonly exists: boolean;
  /** The stat category would deny this path. */
  readonly hidden: boolean;
}

/** The errno table, documented in the README ("Errno of a denial"). */
export function denyErrno(op: Op, ctx: ErrnoContext): ErrnoName {
  switch (op) {
    case 'bind':
      return 'EADDRNOTAVAIL';
    case 'connect':
      return 'ECONNREFUSED';
    case 'lookup':
      return 'ENOENT';
    case 'create-excl':
      if (ctx.hidden) return 'EACCES';
      return ctx.exists ? 'EEXIST' : 'EACCES';
    case 'owner':
    case 'mount':
    case 'admin':
      return ctx.hidden ? 'ENOENT' : 'EPERM';
    default:
      return ctx.hidden ? 'ENOENT' : 'EACCES';
  }
}

/** Whether a denial is "safe" (the call would have failed anyway) and so not reported unless raise_safe. */
export function isSafeDenial(op: Op, ctx: ErrnoContext): boolean {
  return op === 'create-excl' && ctx.exists && !ctx.hidden;
}
