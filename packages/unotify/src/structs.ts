/** struct seccomp_notif, seccomp_notif_resp and seccomp_notif_addfd (host byte order). */
import { ADDFD_SIZE, RESP_SIZE } from './constants.js';

/** A trapped system call, as struct seccomp_notif tells it. */
export interface Notification {
  /** Cookie of this notification (answers and ID_VALID name it). */
  readonly id: bigint;
  /** The calling thread, in the supervisor's pid namespace (a tid, not a tgid). */
  readonly pid: number;
  /** seccomp_data.nr: the syscall number for `arch`. */
  readonly nr: number;
  /** seccomp_data.arch: AUDIT_ARCH_* of the call. */
  readonly arch: number;
  readonly ip: bigint;
  /** The six argument registers, unsigned. */
  readonly args: readonly bigint[];
}

export function decodeNotification(b: Uint8Array): Notification {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const args: bigint[] = [];
  for (let i = 0; i < 6; i++) args.push(v.getBigUint64(32 + i * 8, true));
  return {
    id: v.getBigUint64(0, true),
    pid: v.getUint32(8, true),
    nr: v.getInt32(16, true),
    arch: v.getUint32(20, true),
    ip: v.getBigUint64(24, true),
    args,
  };
}

export function encodeResponse(
  id: bigint,
  val: bigint,
  error: number,
  flags: number,
  size = RESP_SIZE,
): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, id, true);
  v.setBigInt64(8, val, true);
  v.setInt32(16, error, true);
  v.setUint32(20, flags, true);
  return b;
}

export function encodeAddfd(
  id: bigint,
  srcfd: number,
  flags: number,
  newfdFlags: number,
  newfd = 0,
): Uint8Array {
  const b = new Uint8Array(ADDFD_SIZE);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, id, true);
  v.setUint32(8, flags, true);
  v.setUint32(12, srcfd, true);
  v.setUint32(16, newfd, true);
  v.setUint32(20, newfdFlags, true);
  return b;
}
