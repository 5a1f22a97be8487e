/**
 * Which listener ioctls the kernel knows, asked with a notification id that does not
 * exist: a kernel that knows an ioctl or flag answers ENOENT (no such notification), one
 * that does not, EINVAL. Used on the probe's throw-away listener (probe-worker.ts) and on
 * every real listener before its first answer (supervisor.ts). Light: no koffi here, the
 * caller passes its ioctl.
 */
import {
  ENOENT,
  SECCOMP_ADDFD_FLAG_SEND,
  SECCOMP_IOCTL_NOTIF_ADDFD,
  SECCOMP_IOCTL_NOTIF_SEND,
} from './constants.js';
import { encodeAddfd, encodeResponse } from './structs.js';

export interface ListenerIoctls {
  /** SECCOMP_IOCTL_NOTIF_ADDFD (5.9). */
  readonly addfd: boolean;
  /** SECCOMP_ADDFD_FLAG_SEND (5.14). */
  readonly addfdSend: boolean;
  /** SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5). */
  readonly continueFlag: boolean;
}

const BOGUS = 0xfffffffffffffff0n;

export function askListener(
  fd: number,
  ioctl: (fd: number, req: number, arg: Uint8Array) => number,
  errno: () => number,
): ListenerIoctls {
  const ask = (req: number, buf: Uint8Array): boolean => ioctl(fd, req, buf) === 0 || errno() === ENOENT;
  return {
    addfd: ask(SECCOMP_IOCTL_NOTIF_ADDFD, encodeAddfd(BOGUS, fd, 0, 0)),
    addfdSend: ask(SECCOMP_IOCTL_NOTIF_ADDFD, encodeAddfd(BOGUS, fd, SECCOMP_ADDFD_FLAG_SEND, 0)),
    continueFlag: ask(SECCOMP_IOCTL_NOTIF_SEND, encodeResponse(BOGUS, 0n, 0, 1)),
  };
}

/** What the backend needs and this listener lacks, or null. */
export function listenerMissing(io: ListenerIoctls): string | null {
  if (!io.continueFlag) return 'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)';
  if (!io.addfd) return 'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)';
  return null;
}
