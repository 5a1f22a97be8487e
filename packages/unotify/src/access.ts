/**
 * access/faccessat/faccessat2 for a trapped call, race-free: the checked object is pinned
 * (see pinChecked) and asked about through the pin (faccessat2 AT_EMPTY_PATH, 5.8). access
 * checks with the caller's real ids unless AT_EACCESS, so that is what the supervisor thread
 * takes on, for the walk to the object as well as for the answer (see accessCreds).
 */
import { accessCreds, type Creds, type ThreadCreds } from './creds.js';
import { accessFd, errno } from './native.js';
import { type CheckedObject, onPinnedObject } from './stat.js';

export interface AccessRequest extends CheckedObject {
  readonly tid: number;
  /** F_OK or a mix of R_OK, W_OK, X_OK (the caller's EINVAL for other bits is not ours to give). */
  readonly mode: number;
  /** AT_EACCESS: the effective ids, as for any other call. */
  readonly effective: boolean;
}

const EACCES = 13;

export function accessForCaller(
  req: AccessRequest,
  creds: Creds,
  thread: ThreadCreds,
  valid: () => boolean,
): { readonly ok: true } | { readonly errno: number } | { readonly changed: true } {
  const as = req.effective ? creds : accessCreds(creds);
  if (as === null) return { errno: EACCES };
  return onPinnedObject(req, as, thread, valid, (pin) =>
    accessFd(pin, req.mode) === 0 ? { ok: true as const } : { errno: errno() },
  );
}
