import { encode, type Insn } from '../insn.js';
import { verify } from '../verifier/verify.js';
import {
  ENOSYS,
  ESRCH,
  PR_SET_NO_NEW_PRIVS,
  PR_SET_SECCOMP,
  SECCOMP_FILTER_FLAGS,
  SECCOMP_MODE_FILTER,
  SECCOMP_SET_MODE_FILTER,
  type SeccompFlag,
} from './constants.js';
import { libc, SOCK_FPROG_PTR, type SockFprog } from './libc.js';

export class LoadError extends Error {
  constructor(
    message: string,
    readonly errno?: number,
  ) {
    super(message);
    this.name = 'LoadError';
  }
}

export interface LoadOptions {
  /** seccomp(2) flags. Node runs several threads, so installing into it needs 'TSYNC' (see `threadOnly`). */
  readonly flags?: readonly SeccompFlag[];
  /**
   * Accept a filter that covers only the calling thread: Node's other threads (libuv's
   * pool, V8's helpers, workers) keep running unfiltered. Only for tests and for code that
   * knows it is the sole thread that matters. Default false: without TSYNC, refuse.
   */
  readonly threadOnly?: boolean;
  /** Set PR_SET_NO_NEW_PRIVS first (needed without CAP_SYS_ADMIN). Default true. */
  readonly noNewPrivs?: boolean;
}

export interface LoadResult {
  /** Which call installed the filter. */
  readonly via: 'seccomp' | 'prctl';
  /** With NEW_LISTENER: the notification fd. */
  readonly listenerFd?: number;
}

/**
 * Installs a seccomp filter into the calling process.
 *
 * A filter installed without SECCOMP_FILTER_FLAG_TSYNC covers only the calling thread, and
 * a Node process always has more threads; so this refuses unless `flags` has 'TSYNC'
 * (all threads get the filter, or the call fails with the id of the thread that could
 * not be synchronised) or the caller says `threadOnly: true`. The program is verified
 * first. Falls back to prctl(PR_SET_SECCOMP) when seccomp(2) is ENOSYS and no flag is
 * needed; with flags that fallback would silently drop them, so it fails instead.
 */
export function loadFilter(program: readonly Insn[], opts: LoadOptions = {}): LoadResult {
  const flags = opts.flags ?? [];
  for (const f of flags) {
    if (!(f in SECCOMP_FILTER_FLAGS)) throw new LoadError(`unknown seccomp flag "${f}"`);
  }
  if (!flags.includes('TSYNC') && !opts.threadOnly) {
    throw new LoadError(
      'a seccomp filter without TSYNC covers only the calling thread, and this Node process has other threads; ' +
        "pass flags: ['TSYNC'] to filter all of them, or threadOnly: true if only this thread matters",
    );
  }
  verify(program);
  const c = libc();
  if (opts.noNewPrivs !== false && c.prctl(PR_SET_NO_NEW_PRIVS, 1, 0) !== 0) {
    throw new LoadError(`prctl(PR_SET_NO_NEW_PRIVS) failed: errno ${c.errno()}`, c.errno());
  }
  const bits = flags.reduce((acc, f) => acc | SECCOMP_FILTER_FLAGS[f], 0);
  const filter = Buffer.from(encode(program, true));
  const prog: SockFprog = { len: program.length, filter };
  const ret = c.syscall(
    c.nr('seccomp'),
    'unsigned int',
    SECCOMP_SET_MODE_FILTER,
    'unsigned int',
    bits,
    SOCK_FPROG_PTR,
    prog,
  );
  if (ret >= 0) {
    if (flags.includes('NEW_LISTENER')) return { via: 'seccomp', listenerFd: ret };
    if (ret > 0 && flags.includes('TSYNC')) {
      throw new LoadError(`TSYNC: thread ${ret} could not be synchronised (it has an incompatible filter)`);
    }
    return { via: 'seccomp' };
  }
  const errno = c.errno();
  if (errno === ENOSYS) {
    if (bits !== 0) {
      throw new LoadError(
        `seccomp(2) is not available (ENOSYS) and prctl cannot apply flags ${flags.join(', ')}`,
        errno,
      );
    }
    if (c.prctlFilter(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, prog) === 0) return { via: 'prctl' };
    throw new LoadError(`prctl(PR_SET_SECCOMP) failed: errno ${c.errno()}`, c.errno());
  }
  if (errno === ESRCH && flags.includes('TSYNC_ESRCH')) {
    throw new LoadError('TSYNC: a thread could not be synchronised (ESRCH)', errno);
  }
  throw new LoadError(`seccomp(SECCOMP_SET_MODE_FILTER) failed: errno ${errno}`, errno);
}
