/**
 * What this kernel offers the user-notification backend, each answer from trying
 * the call: seccomp's actions and flags (from @sb/bpf's probes), pidfd_getfd and
 * openat2 by errno, and the listener ioctls on a real listener (probe-worker.ts).
 */
import { probeSeccomp } from '@sb/bpf';
import { startWorker } from '@sb/ptrace/thread';
import { EBADF, EFAULT, ENOSYS } from './constants.js';
import { errno, nrs, syscall } from './native.js';
import { PROBE_WORKER_URL } from './thread.js';

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

function listenerIoctls(): {
  addfd: boolean;
  addfdSend: boolean;
  continueFlag: boolean;
  error: string | null;
} {
  const shared = new SharedArrayBuffer(4 * 8);
  const out = new Int32Array(shared);
  const w = startWorker(PROBE_WORKER_URL, {
    workerData: { shared, seccompNr: nrs.seccomp },
  });
  w.unref();
  // The worker runs on its own; this thread only waits for its answer. A verdict must not
  // depend on how loaded the machine is: starting a worker took over 5 s in a loaded VM.
  const r = Atomics.wait(out, 0, 0, 60_000);
  if (r === 'timed-out')
    return { addfd: false, addfdSend: false, continueFlag: false, error: 'the listener probe timed out' };
  if (out[1] !== 0)
    return {
      addfd: false,
      addfdSend: false,
      continueFlag: false,
      error: `installing a NEW_LISTENER filter failed (errno ${out[1]})`,
    };
  return { addfd: out[2] === 1, addfdSend: out[3] === 1, continueFlag: out[4] === 1, error: null };
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
