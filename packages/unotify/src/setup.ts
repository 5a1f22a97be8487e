/**
 * The launch steps that install the user-notification filter in the stub and
 * move its listener fd into the supervisor (see @sb/ptrace's SetupStep). The
 * filter and its sock_fprog travel in the launch's image (an `fprog` value): one
 * injected call, where a memfd written and mapped in the stub took five.
 */
import type { SetupStep } from '@sb/ptrace';
import {
  EBADF,
  ENOENT,
  SECCOMP_FILTER_FLAG_NEW_LISTENER,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
  SECCOMP_IOCTL_NOTIF_ADDFD,
  SECCOMP_IOCTL_NOTIF_SEND,
  SECCOMP_SET_MODE_FILTER,
  SECCOMP_USER_NOTIF_FLAG_CONTINUE,
} from './constants.js';
import { encodeAddfd, encodeResponse } from './structs.js';

/** The kinds of @sb/ptrace's setup steps the listener needs (types only). */
export type ListenerSetupStep = Extract<SetupStep, { kind: 'syscall' | 'take-fd' }>;

/** The name `Launched.fds` holds the listener under. */
export const LISTENER_FD_NAME = 'unotify-listener';

export interface ListenerSetupOptions {
  /** SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (5.19): signals do not abort a notified call before it is received. */
  readonly waitKillable: boolean;
}

/**
 * Steps for SetupProgram.beforeFilter: seccomp(SET_MODE_FILTER, NEW_LISTENER[|WAIT_KILLABLE_RECV],
 * &fprog) -> take-fd (pidfd_getfd, 5.6; closes it in the stub), which first asks this
 * listener for the ioctls the supervisor needs (a notification id that
 * does not exist: ENOENT from a kernel that knows the request, EINVAL from one that does not):
 * a kernel without them fails the launch, naming what is missing, before the program runs.
 */
export function listenerSetup(filter: Uint8Array, opts: ListenerSetupOptions): ListenerSetupStep[] {
  if (filter.length === 0 || filter.length % 8 !== 0 || filter.length / 8 > 4096)
    throw new RangeError(`a seccomp filter of ${filter.length} bytes is not 1..4096 sock_filter entries`);
  const flags =
    SECCOMP_FILTER_FLAG_NEW_LISTENER | (opts.waitKillable ? SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV : 0);
  return [
    {
      kind: 'syscall',
      step: 'unotify: seccomp(SECCOMP_SET_MODE_FILTER, NEW_LISTENER)',
      name: 'seccomp',
      args: [BigInt(SECCOMP_SET_MODE_FILTER), BigInt(flags), { fprog: filter }],
      save: 'unotify-listener',
    },
    {
      kind: 'take-fd',
      step: 'unotify: move the listener to the supervisor',
      result: 'unotify-listener',
      as: LISTENER_FD_NAME,
      verify: [
        {
          request: SECCOMP_IOCTL_NOTIF_SEND,
          arg: encodeResponse(NO_SUCH_ID, 0n, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE),
          okErrnos: [ENOENT],
          why: 'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)',
        },
        {
          request: SECCOMP_IOCTL_NOTIF_ADDFD,
          // srcfd -1: EBADF (checked before the id) from a kernel with ADDFD, EINVAL without.
          arg: encodeAddfd(NO_SUCH_ID, -1, 0, 0),
          okErrnos: [EBADF, ENOENT],
          why: 'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)',
        },
      ],
    },
  ];
}

const NO_SUCH_ID = 0xfffffffffffffff0n;
