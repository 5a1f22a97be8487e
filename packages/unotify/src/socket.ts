/**
 * connect(2) and bind(2) of an internet socket for a trapped call, race-free: the caller's socket
 * is copied into the supervisor (pidfd_getfd, through a pidfd opened before the notification's
 * validity check, so the copy is the caller's socket and no other process's) and connected or
 * bound here to the address the check read, once. The socket is the caller's own (a copy of the
 * fd, not a new socket): its options, local port and state are the ones the kernel would have used.
 *
 * A blocking socket is made non-blocking for the connect (the flag belongs to the open file,
 * which the caller shares, and is put back when the connect ends): the supervisor must not wait
 * for a handshake while the rest of the sandbox waits for it. The call's answer then waits, as
 * the caller would have, until the socket is writable (see NotifyResponse 'wait'). A bind is
 * made with the caller's credentials: a port below ip_unprivileged_port_start needs its
 * CAP_NET_BIND_SERVICE, not ours.
 */
import { fstatSync } from 'node:fs';
import type { Creds, ThreadCreds } from './creds.js';
import type { NotifyResponse } from './handler.js';
import {
  bindFd,
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

export interface SocketRequest {
  /** The calling thread (supervisor's pid namespace). */
  readonly tid: number;
  /** The caller's socket fd. */
  readonly fd: number;
  /** The sockaddr as the check read it. */
  readonly addr: Uint8Array;
}

/**
 * Our copy of the caller's socket, or the answer when there is none: 'continue' when the caller
 * is not ours to inspect (a non-dumpable process, for a supervisor without CAP_SYS_PTRACE): the
 * kernel then re-reads the address, the window the ptrace backend has.
 */
function callerSocket(req: SocketRequest, valid: () => boolean): number | NotifyResponse {
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
  let mode: number;
  try {
    mode = fstatSync(fd).mode;
  } catch {
    close(fd);
    return { action: 'deny', errno: EPERM };
  }
  if ((mode & S_IFMT) === S_IFSOCK) return fd;
  close(fd);
  return { action: 'deny', errno: ENOTSOCK };
}

/**
 * bind of the caller's socket to the checked address, with the caller's credentials (its
 * capabilities decide a privileged port). A caller in another user namespace is continued:
 * its capabilities are its namespace's (over its own network namespace), not ours to lend.
 */
export function bindForCaller(
  req: SocketRequest,
  creds: Creds,
  thread: ThreadCreds,
  valid: () => boolean,
): NotifyResponse {
  if (creds.foreignUserNamespace) return { action: 'continue' };
  const fd = callerSocket(req, valid);
  if (typeof fd !== 'number') return fd;
  try {
    // errno is read inside: switching the credentials back makes system calls of its own.
    const err = thread.with(creds, () => (bindFd(fd, req.addr) === 0 ? 0 : errno()));
    return err === 0 ? { action: 'return', value: 0n } : { action: 'deny', errno: err };
  } catch {
    // The credentials could not be taken on (CredsError): never bind with ours.
    return { action: 'deny', errno: EPERM };
  } finally {
    close(fd);
  }
}

/** connect of the caller's socket to the checked address (see the module comment for blocking sockets). */
export function connectForCaller(req: SocketRequest, valid: () => boolean): NotifyResponse {
  const copy = callerSocket(req, valid);
  if (typeof copy !== 'number') return copy;
  const fd = copy;
  const flags = fcntl(fd, F_GETFL);
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
