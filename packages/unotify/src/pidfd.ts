/** Copying an fd out of another process: pidfd_open (5.3) + pidfd_getfd (5.6). */
import { readFileSync } from 'node:fs';
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

/**
 * Runs `use` on a copy of `pid`'s fd `remoteFd` (takeFd; TakeFdError when there is none) and
 * closes the copy after, with close(2): fs.closeSync would make Node warn on a worker thread
 * about an fd it did not open.
 */
export function withTakenFd<T>(pid: number, remoteFd: number, use: (fd: number) => T): T {
  const fd = takeFd(pid, remoteFd);
  try {
    return use(fd);
  } finally {
    close(fd);
  }
}

/**
 * A pidfd for the process whose thread `tid` made a notified call, or -1 (gone, out of fds, no
 * pidfd_open). Open it *before* checking that the notification is still valid: if it is valid
 * afterwards, the caller was alive all along, so its pid cannot have been reused in between and
 * the pidfd names it, not an heir. A signal through it then cannot reach another process.
 */
export function callerPidfd(tid: number): number {
  if (nrs.pidfd_open < 0) return -1;
  let tgid: number;
  try {
    // pidfd_open takes a thread-group leader (a thread id only from 6.9, PIDFD_THREAD).
    const m = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${tid}/status`, 'latin1'));
    if (!m) return -1;
    tgid = Number(m[1]);
  } catch {
    return -1;
  }
  return syscall(nrs.pidfd_open, tgid, 0);
}

/** SIGKILL through a pidfd (5.1); false if it could not be sent. */
export function killByPidfd(pidfd: number): boolean {
  const SIGKILL = 9;
  return nrs.pidfd_send_signal >= 0 && syscall(nrs.pidfd_send_signal, pidfd, SIGKILL, 0, 0) === 0;
}

/** fcntl(F_DUPFD_CLOEXEC): a second fd for the same open file. */
export function dupCloexec(fd: number): number {
  const F_DUPFD_CLOEXEC = 1030;
  const r = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (r < 0) throw new TakeFdError('fcntl(F_DUPFD_CLOEXEC)', errno());
  return r;
}
