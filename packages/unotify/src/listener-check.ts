/**
 * Which listener ioctls the kernel knows, asked with a notification id that does not
 * exist: a kernel that knows an ioctl or flag answers ENOENT (no such notification), one
 * that does not, EINVAL. Used on the probe's throw-away listener (probe.ts, in a stub) and
 * on every real listener before its first answer (supervisor.ts). Light: no koffi here, the
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

export interface ListenerQuestion {
  readonly key: keyof ListenerIoctls;
  readonly req: number;
  readonly arg: Uint8Array;
}

/** The ioctls to ask; `fd` is any fd valid where they are made (ADDFD checks its source fd first). */
export function listenerQuestions(fd: number): readonly ListenerQuestion[] {
  return [
    { key: 'addfd', req: SECCOMP_IOCTL_NOTIF_ADDFD, arg: encodeAddfd(BOGUS, fd, 0, 0) },
    {
      key: 'addfdSend',
      req: SECCOMP_IOCTL_NOTIF_ADDFD,
      arg: encodeAddfd(BOGUS, fd, SECCOMP_ADDFD_FLAG_SEND, 0),
    },
    { key: 'continueFlag', req: SECCOMP_IOCTL_NOTIF_SEND, arg: encodeResponse(BOGUS, 0n, 0, 1) },
  ];
}

/** An ioctl the kernel knows succeeds or finds no such notification; one it does not know is EINVAL. */
export function knowsIoctl(result: number, err: number): boolean {
  return result === 0 || err === ENOENT;
}

export function askListener(
  fd: number,
  ioctl: (fd: number, req: number, arg: Uint8Array) => number,
  errno: () => number,
): ListenerIoctls {
  const io = { addfd: false, addfdSend: false, continueFlag: false };
  for (const q of listenerQuestions(fd)) {
    const r = ioctl(fd, q.req, q.arg);
    io[q.key] = knowsIoctl(r, r === 0 ? 0 : errno());
  }
  return io;
}

/** What the backend needs and this listener lacks, or null. */
export function listenerMissing(io: ListenerIoctls): string | null {
  if (!io.continueFlag) return 'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)';
  if (!io.addfd) return 'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)';
  return null;
}
