/** Copying an fd out of another process: pidfd_open (5.3) + pidfd_getfd (5.6). */
import { close, errno, fcntl, nrs, syscall } from './native.js';

export class TakeFdError extends Error {
  constructor(
    readonly op: string,
    readonly errno: number,
  ) {
    super(`${op} failed: errno ${errno}${errno === 38 ? ' (needs Linux 5.6)' : ''}`);
    this.name = 'TakeFdError';
  }
}

/** A copy of `pid`'s fd `remoteFd` in this process (O_CLOEXEC). Needs ptrace-attach rights over pid. */
export function takeFd(pid: number, remoteFd: number): number {
  if (nrs.pidfd_open < 0 || nrs.pidfd_getfd < 0) throw new TakeFdError('pidfd_getfd', 38);
  const pidfd = syscall(nrs.pidfd_open, pid, 0);
  if (pidfd < 0) throw new TakeFdError('pidfd_open', errno());
  try {
    const fd = syscall(nrs.pidfd_getfd, pidfd, remoteFd, 0);
    if (fd < 0) throw new TakeFdError('pidfd_getfd', errno());
    return fd;
  } finally {
    close(pidfd);
  }
}

/** fcntl(F_DUPFD_CLOEXEC): a second fd for the same open file. */
export function dupCloexec(fd: number): number {
  const F_DUPFD_CLOEXEC = 1030;
  const r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (r < 0) throw new TakeFdError('fcntl(F_DUPFD_CLOEXEC)', errno());
  return r;
}
