/**
 * What this kernel offers the user-notification backend, each answer from trying
 * the call: seccomp's actions and flags (from @sb/bpf's probes), pidfd_getfd and
 * openat2 by errno, and the listener ioctls on a real listener, made in a throw-away
 * stub process (the filter that makes a listener cannot be removed again).
 */
import { closeSync, openSync } from 'node:fs';
import { probeSeccomp } from '@sb/bpf';
import { inThrowawayStub } from '@sb/ptrace/stub';
import {
  EBADF,
  EFAULT,
  ENOSYS,
  SECCOMP_FILTER_FLAG_NEW_LISTENER,
  SECCOMP_SET_MODE_FILTER,
} from './constants.js';
import { knowsIoctl, listenerQuestions } from './listener-check.js';
import { errno, nrs, syscall } from './native.js';

export interface UnotifyFeatures {
  /** SECCOMP_RET_USER_NOTIF (5.0). */
  readonly userNotif: boolean;
  /** SECCOMP_FILTER_FLAG_NEW_LISTENER (5.0). */
  readonly newListener: boolean;
  /** SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19). */
  readonly waitKillableRecv: boolean;
  /**
   * SECCOMP_USER_NOTIF_FLAG_CONTINUE (5.5). This and the next two are asked on a listener:
   * null when the probe was told not to make one (`listener: false`); the supervisor then
   * asks the sandbox's own listener before its first answer, and fails closed.
   */
  readonly continueFlag: boolean | null;
  /** SECCOMP_IOCTL_NOTIF_ADDFD (5.9). */
  readonly addfd: boolean | null;
  /** SECCOMP_ADDFD_FLAG_SEND (5.14). */
  readonly addfdSend: boolean | null;
  /** pidfd_getfd (5.6): how the listener leaves the sandboxed stub. */
  readonly pidfdGetfd: boolean;
  /** openat2 with RESOLVE_* (5.6): how the supervisor opens exactly the checked path. */
  readonly openat2: boolean;
  /** The backend can run here (all of the above except WAIT_KILLABLE_RECV and ADDFD_FLAG_SEND). */
  readonly usable: boolean;
  /** Why not, naming the first missing piece; or what is degraded. */
  readonly why: string;
}

function exists(nr: number, ...args: (number | bigint)[]): boolean {
  if (nr < 0) return false;
  return syscall(nr, ...args) >= 0 || errno() !== ENOSYS;
}

const PR_SET_NO_NEW_PRIVS = 38;

/**
 * Installs an allow-everything filter with NEW_LISTENER in a throw-away stub (no_new_privs
 * first, for an unprivileged caller: the stub's own) and asks the listener it gets.
 */
function listenerIoctls(): {
  addfd: boolean;
  addfdSend: boolean;
  continueFlag: boolean;
  error: string | null;
} {
  const none = { addfd: false, addfdSend: false, continueFlag: false };
  // ADDFD checks its source fd before it looks for the notification: one valid in the stub.
  const source = openSync('/dev/null', 'r');
  try {
    const questions = listenerQuestions(source);
    // sock_fprog { u16 len; u64 filter } at 0, the one instruction (RET ALLOW) at 16, the ioctl arguments after.
    const offsets: number[] = [];
    let size = 24;
    for (const q of questions) {
      offsets.push(size);
      size += q.arg.length;
    }
    const fill = (address: bigint): Uint8Array => {
      const data = new Uint8Array(size);
      const v = new DataView(data.buffer);
      v.setUint16(0, 1, true);
      v.setBigUint64(8, address + 16n, true);
      v.setUint16(16, 0x06, true);
      v.setUint32(20, 0x7fff0000, true);
      for (const [i, q] of questions.entries()) data.set(q.arg, offsets[i]);
      return data;
    };
    return inThrowawayStub(size, fill, (stub) => {
      const nnp = stub.call(nrs.prctl, [BigInt(PR_SET_NO_NEW_PRIVS), 1n, 0n, 0n, 0n]);
      if (nnp !== 0n) return { ...none, error: `setting no_new_privs in the probe failed (errno ${-nnp})` };
      const fd = stub.call(nrs.seccomp, [
        BigInt(SECCOMP_SET_MODE_FILTER),
        BigInt(SECCOMP_FILTER_FLAG_NEW_LISTENER),
        stub.data,
      ]);
      if (fd < 0n) return { ...none, error: `installing a NEW_LISTENER filter failed (errno ${-fd})` };
      const io = { ...none, error: null };
      questions.forEach((q, i) => {
        const r = stub.call(nrs.ioctl, [fd, BigInt(q.req >>> 0), stub.data + BigInt(offsets[i]!)]);
        io[q.key] = knowsIoctl(r === 0n ? 0 : -1, r < 0n ? Number(-r) : 0);
      });
      return io;
    });
  } catch (e) {
    return { ...none, error: `the listener probe could not run: ${(e as Error).message}` };
  } finally {
    closeSync(source);
  }
}

let cached: UnotifyFeatures | null = null;
let cachedWithoutListener: UnotifyFeatures | null = null;

export interface ProbeUnotifyOptions {
  /**
   * Ask the listener ioctls on a throw-away listener (default). That needs a thread of its
   * own, about 80 ms of start-up; false leaves them to the supervisor, which asks the
   * sandbox's real listener before its first answer (a caller that will supervise anyway).
   */
  readonly listener?: boolean;
}

/** Probes once per process. */
export function probeUnotify(opts: ProbeUnotifyOptions = {}): UnotifyFeatures {
  if (cached) return cached;
  const withListener = opts.listener !== false;
  if (!withListener && cachedWithoutListener) return cachedWithoutListener;
  const s = probeSeccomp();
  const userNotif = s.actions.USER_NOTIF === true;
  const newListener = s.flags.NEW_LISTENER === true;
  const pidfdGetfd = exists(nrs.pidfd_getfd, -1, 0, 0) && (errno() === EBADF || errno() !== ENOSYS);
  const openat2 = exists(nrs.openat2, -1, 0, 0, 0) && errno() !== ENOSYS;
  void EFAULT;
  const io = !(userNotif && newListener)
    ? { addfd: false, addfdSend: false, continueFlag: false, error: 'no listener' }
    : withListener
      ? listenerIoctls()
      : { addfd: null, addfdSend: null, continueFlag: null, error: null };
  const missing = !userNotif
    ? 'SECCOMP_RET_USER_NOTIF is missing (needs Linux 5.0)'
    : !newListener
      ? 'SECCOMP_FILTER_FLAG_NEW_LISTENER is missing (needs Linux 5.0)'
      : io.error !== null
        ? io.error
        : io.continueFlag === false
          ? 'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)'
          : !pidfdGetfd
            ? 'pidfd_getfd is missing (needs Linux 5.6): the listener cannot leave the sandboxed process'
            : !openat2
              ? 'openat2 is missing (needs Linux 5.6)'
              : io.addfd === false
                ? 'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)'
                : null;
  const degraded = [
    ...(s.flags.WAIT_KILLABLE_RECV
      ? []
      : ['no WAIT_KILLABLE_RECV (5.19): a signal can interrupt a notified call']),
    ...(io.addfdSend === false ? ['no ADDFD_FLAG_SEND (5.14): fd install and answer are two ioctls'] : []),
  ];
  const features: UnotifyFeatures = {
    userNotif,
    newListener,
    waitKillableRecv: s.flags.WAIT_KILLABLE_RECV === true,
    continueFlag: io.continueFlag,
    addfd: io.addfd,
    addfdSend: io.addfdSend,
    pidfdGetfd,
    openat2,
    usable: missing === null,
    why:
      missing ??
      (withListener
        ? `seccomp user notification with NEW_LISTENER, FLAG_CONTINUE, ADDFD, pidfd_getfd and openat2 work here${
            degraded.length > 0 ? ` (${degraded.join('; ')})` : ''
          }`
        : `seccomp user notification with NEW_LISTENER, pidfd_getfd and openat2 work here; FLAG_CONTINUE (5.5) and ADDFD (5.9) are asked on the sandbox's listener${
            degraded.length > 0 ? ` (${degraded.join('; ')})` : ''
          }`),
  };
  if (withListener) cached = features;
  else cachedWithoutListener = features;
  return features;
}
