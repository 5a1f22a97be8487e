/**
 * connect(2) of an internet socket for a trapped call, race-free: the caller's socket is copied
 * into the supervisor (pidfd_getfd, through a pidfd opened before the notification's validity
 * check, so the copy is the caller's socket and no other process's) and connected here to the
 * address the check read, once. The socket is the caller's own (a copy of the fd, not a new
 * socket): its options, local port and state are the ones the kernel would have used.
 *
 * A blocking socket is made non-blocking for the connect (the flag belongs to the open file,
 * which the caller shares, and is put back when the connect ends): the supervisor must not wait
 * for a handshake while the rest of the sandbox waits for it. The call's answer then waits, as
 * the caller would have, until the socket is writable (see NotifyResponse 'wait').
 */
import { fstatSync } from 'node:fs';
import type { NotifyResponse } from './handler.js';
import {
  close,
  connectFd,
  errno,
  fcntl,
  getsockoptBytes,
  getsockoptInt,
  LITTLE_ENDIAN,
  nrs,
  syscall,
} from './native.js';
import { callerPidfd } from './pidfd.js';

const F_GETFL = 3;
const F_SETFL = 4;
const O_NONBLOCK = 0o4000;
const EINPROGRESS = 115;
const EPERM = 1;
const ESRCH = 3;
const ENOTSOCK = 88;
const SOL_SOCKET = 1;
const SO_ERROR = 4;
const SO_TYPE = 3;
const SO_SNDTIMEO = 21;
const SOCK_DGRAM = 2;
const SOCK_RAW = 3;
const POLLOUT = 0x4;
const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;

/** The socket's SO_SNDTIMEO in milliseconds (0: none), which bounds a blocking connect. */
function sendTimeoutMs(fd: number): number {
  const tv = new Uint8Array(16);
  if (getsockoptBytes(fd, SOL_SOCKET, SO_SNDTIMEO, tv) !== 16) return 0;
  const v = new DataView(tv.buffer);
  const sec = Number(v.getBigInt64(0, LITTLE_ENDIAN));
  return sec * 1000 + Math.ceil(Number(v.getBigInt64(8, LITTLE_ENDIAN)) / 1000);
}

export interface ConnectRequest {
  /** The calling thread (supervisor's pid namespace). */
  readonly tid: number;
  /** The caller's socket fd. */
  readonly fd: number;
  /** The sockaddr as the check read it. */
  readonly addr: Uint8Array;
}

/**
 * The answer to an allowed connect: done here, or 'continue' when the caller's socket cannot be
 * copied because the caller is not ours to inspect (a non-dumpable process, for a supervisor
 * without CAP_SYS_PTRACE): the kernel then re-reads the address, the window the ptrace backend has.
 */
export function connectForCaller(req: ConnectRequest, valid: () => boolean): NotifyResponse {
  const pidfd = callerPidfd(req.tid);
  if (pidfd < 0)
    return valid() ? { action: 'deny', errno: errno() || EPERM } : { action: 'deny', errno: ESRCH };
  const fd = syscall(nrs.pidfd_getfd, pidfd, req.fd, 0);
  const e = errno();
  close(pidfd);
  if (fd < 0) {
    if (!valid()) return { action: 'deny', errno: ESRCH };
    return e === EPERM ? { action: 'continue' } : { action: 'deny', errno: e };
  }
  // The pidfd was opened before this check: valid now, the copy is the caller's socket.
  if (!valid()) {
    close(fd);
    return { action: 'deny', errno: ESRCH };
  }
  let flags: number;
  try {
    if ((fstatSync(fd).mode & S_IFMT) !== S_IFSOCK) {
      close(fd);
      return { action: 'deny', errno: ENOTSOCK };
    }
    flags = fcntl(fd, F_GETFL);
  } catch {
    close(fd);
    return { action: 'deny', errno: EPERM };
  }
  // Without its flags the socket might block this thread: refuse rather than guess.
  if (flags < 0) {
    const err = errno();
    close(fd);
    return { action: 'deny', errno: err || EPERM };
  }
  // A datagram or raw socket's connect only sets its peer, at once: left as it is, so a thread
  // reading the same socket never sees it non-blocking.
  const type = getsockoptInt(fd, SOL_SOCKET, SO_TYPE);
  const blocking = (flags & O_NONBLOCK) === 0 && type !== SOCK_DGRAM && type !== SOCK_RAW;
  if (blocking && fcntl(fd, F_SETFL, flags | O_NONBLOCK) !== 0) {
    const err = errno();
    close(fd);
    return { action: 'deny', errno: err };
  }
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    if (blocking) fcntl(fd, F_SETFL, flags);
    close(fd);
  };
  const r = connectFd(fd, req.addr);
  const err = r === 0 ? 0 : errno();
  if (err === EINPROGRESS && blocking) {
    const timeout = sendTimeoutMs(fd);
    return {
      action: 'wait',
      fd,
      events: POLLOUT,
      ...(timeout > 0 ? { deadline: Date.now() + timeout } : {}),
      finish: (timedOut) => {
        // A blocking connect that outlives SO_SNDTIMEO says EINPROGRESS (and goes on), as the kernel's.
        const so = timedOut ? EINPROGRESS : getsockoptInt(fd, SOL_SOCKET, SO_ERROR);
        const got = so === null ? errno() : so;
        restore();
        return got === 0 ? { action: 'return', value: 0n } : { action: 'deny', errno: got };
      },
      abandon: restore,
    };
  }
  restore();
  return err === 0 ? { action: 'return', value: 0n } : { action: 'deny', errno: err };
}
