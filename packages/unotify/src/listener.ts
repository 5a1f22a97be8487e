/**
 * One seccomp listener fd: receive a notification, check that it is still
 * pending, answer it, install an fd into the caller. Decodes and encodes the
 * uapi structs; the buffer sizes honour SECCOMP_GET_NOTIF_SIZES (a newer kernel
 * may write a larger struct seccomp_notif than ours).
 */
import {
  EINTR,
  EINVAL,
  ENOENT,
  NOTIF_SIZE,
  RESP_SIZE,
  SECCOMP_ADDFD_FLAG_SEND,
  SECCOMP_IOCTL_NOTIF_ADDFD,
  SECCOMP_IOCTL_NOTIF_ID_VALID,
  SECCOMP_IOCTL_NOTIF_RECV,
  SECCOMP_IOCTL_NOTIF_SEND,
  SECCOMP_USER_NOTIF_FLAG_CONTINUE,
} from './constants.js';
import { errno, ioctl, ioctlUninterrupted } from './native.js';
import { decodeNotification, encodeAddfd, encodeResponse, type Notification } from './structs.js';

export type { Notification } from './structs.js';

/** A listener call failed for a reason other than the caller having gone away. */
export class ListenerError extends Error {
  constructor(
    readonly op: string,
    readonly errno: number,
  ) {
    super(`seccomp listener ${op} failed: errno ${errno}`);
    this.name = 'ListenerError';
  }
}

export interface NotifSizes {
  readonly notif: number;
  readonly resp: number;
}

/**
 * The buffer sizes (SECCOMP_GET_NOTIF_SIZES, read by @sb/bpf's probeSeccomp on the owner
 * thread and handed over): a newer kernel's structs may be larger than ours.
 */
let sizes: NotifSizes = { notif: NOTIF_SIZE, resp: RESP_SIZE };
export function setNotifSizes(k: { readonly notif: number; readonly resp: number } | null): void {
  sizes = { notif: Math.max(NOTIF_SIZE, k?.notif ?? 0), resp: Math.max(RESP_SIZE, k?.resp ?? 0) };
}
function bufferSizes(): NotifSizes {
  return sizes;
}

// Host byte order for every struct: the supervisor runs on the native ABI.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
  throw new Error('@sb/unotify: big-endian hosts are not supported');

export class Listener {
  /** Whether ADDFD_FLAG_SEND works here (5.14); null until the first ADDFD tells. */
  static atomicAddfd: boolean | null = null;
  private readonly notifBuf: Uint8Array;
  private readonly idBuf = new BigUint64Array(1);

  constructor(readonly fd: number) {
    this.notifBuf = new Uint8Array(bufferSizes().notif);
  }

  /**
   * The next notification; null when the caller vanished between poll and receive
   * (ENOENT) or a signal interrupted us (EINTR). Throws ListenerError otherwise.
   */
  receive(): Notification | null {
    // The kernel refuses a non-zeroed buffer (EINVAL) since 5.x.
    this.notifBuf.fill(0);
    if (ioctl(this.fd, SECCOMP_IOCTL_NOTIF_RECV, this.notifBuf) === 0)
      return decodeNotification(this.notifBuf);
    const e = errno();
    if (e === EINTR || e === ENOENT) return null;
    throw new ListenerError('RECV', e);
  }

  /** SECCOMP_IOCTL_NOTIF_ID_VALID: the caller is still blocked in this very call (its pid was not reused). */
  valid(id: bigint): boolean {
    this.idBuf[0] = id;
    if (ioctl(this.fd, SECCOMP_IOCTL_NOTIF_ID_VALID, new Uint8Array(this.idBuf.buffer)) === 0) return true;
    const e = errno();
    if (e === ENOENT) return false;
    throw new ListenerError('ID_VALID', e);
  }

  /** Answers with a return value (error 0) or an errno; false when the caller is gone. */
  respond(id: bigint, val: bigint, error: number): boolean {
    return this.send(encodeResponse(id, val, error === 0 ? 0 : -Math.abs(error), 0, bufferSizes().resp));
  }

  /** Lets the call run in the kernel as it is (SECCOMP_USER_NOTIF_FLAG_CONTINUE, 5.5). */
  continueCall(id: bigint): boolean {
    return this.send(encodeResponse(id, 0n, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE, bufferSizes().resp));
  }

  private send(resp: Uint8Array): boolean {
    if (ioctl(this.fd, SECCOMP_IOCTL_NOTIF_SEND, resp) === 0) return true;
    const e = errno();
    // ENOENT: the caller died or a signal interrupted its call; nothing waits for the answer.
    if (e === ENOENT) return false;
    throw new ListenerError('SEND', e);
  }

  /**
   * Installs our `fd` in the caller and answers the call with its number: one
   * ioctl with ADDFD_FLAG_SEND (5.14), else ADDFD then SEND (5.9). Returns the
   * caller's fd number, or null when the caller is gone.
   */
  installFd(id: bigint, fd: number, cloexec: boolean): number | null {
    const O_CLOEXEC = 0o2000000;
    const atomic = Listener.atomicAddfd !== false;
    const flags = atomic ? SECCOMP_ADDFD_FLAG_SEND : 0;
    // Signals are blocked for it: with FLAG_SEND the kernel marks the call answered before it
    // waits for the install, and a signal then takes the install back, but not the answer. The
    // ioctl restarts into EINPROGRESS, and the caller may already have returned 0 from its call
    // (measured: a SIGUSR2 storm at a supervisor on the main thread).
    const { r, errno: e } = ioctlUninterrupted(
      this.fd,
      SECCOMP_IOCTL_NOTIF_ADDFD,
      encodeAddfd(id, fd, flags, cloexec ? O_CLOEXEC : 0),
    );
    if (r < 0) {
      if (e === ENOENT) return null;
      // 5.9-5.13 know ADDFD but not FLAG_SEND: install, then answer separately.
      if (e === EINVAL && atomic && Listener.atomicAddfd === null) {
        Listener.atomicAddfd = false;
        return this.installFd(id, fd, cloexec);
      }
      throw new ListenerError('ADDFD', e);
    }
    if (atomic) Listener.atomicAddfd = true;
    if (!atomic && !this.respond(id, BigInt(r), 0)) return null;
    return r;
  }
}
