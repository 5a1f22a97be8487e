/**
 * Setup programs: extra steps the launcher performs in the stopped stub before the
 * target's execve, as plain data (they cross to the tracer thread by structured
 * clone, so they cannot be functions). @sb/ns compiles namespace options into
 * them, Landlock rulesets are installed by them; the launcher interprets them.
 *
 * Every step either succeeds or the launch fails naming `step` (the stub is killed,
 * nothing runs): setup fails closed.
 */

/** A value an injected call takes. */
export type SetupValue =
  /** An integer (registers are 64-bit; pass negative numbers as they are). */
  | bigint
  /** The address of a NUL-terminated copy of this string in the stub. */
  | { readonly str: string }
  /**
   * The address of a copy of these bytes in the stub. `patch` writes the value an
   * earlier step saved into the copy before the call (e.g. an fd into a struct).
   */
  | {
      readonly bytes: Uint8Array;
      readonly patch?: readonly { readonly offset: number; readonly size: 4 | 8; readonly from: string }[];
    }
  /** The value an earlier step saved under this name. */
  | { readonly result: string }
  /** The address of a struct sock_fprog for this seccomp program (sock_filter entries). */
  | { readonly fprog: Uint8Array };

export type SetupStep =
  /**
   * A system call in the stub, by name (resolved for the native ABI through
   * @sb/syscalls). A negative result is a launch failure, unless its errno is in
   * `okErrnos`; the (possibly negative) result is saved under `save`.
   */
  | {
      readonly kind: 'syscall';
      readonly step: string;
      readonly name: string;
      readonly args: readonly SetupValue[];
      readonly save?: string;
      readonly okErrnos?: readonly number[];
    }
  /** Skip the following `count` steps unless the saved value `result` is >= 0 (for `-try` forms). */
  | { readonly kind: 'skip-unless-ok'; readonly result: string; readonly count: number }
  /** The launcher (outside) writes `content` to /proc/<stub pid>/<file> (uid_map, gid_map, setgroups). */
  | { readonly kind: 'write-proc'; readonly step: string; readonly file: string; readonly content: string }
  /**
   * The launcher runs a host program (e.g. newuidmap) with `{pid}` in argv replaced
   * by the stub's pid; a non-zero exit fails the launch with its stderr.
   */
  | { readonly kind: 'run-host'; readonly step: string; readonly argv: readonly string[] }
  /**
   * Moves the fd saved under `result` out of the stub into this process (pidfd_getfd,
   * Linux 5.6; it is closed in the stub); `Launched.fds[as]` holds its number here.
   */
  | {
      readonly kind: 'take-fd';
      readonly step: string;
      readonly result: string;
      readonly as: string;
      /**
       * Questions for the kernel about the fd, asked here (ioctl on our copy) before anyone is
       * told of it: the launch fails unless each call succeeds or fails with one of its
       * `okErrnos` (a kernel that knows a request answers a bogus argument with a specific
       * errno). `arg` is copied; what the kernel writes to it is dropped.
       */
      readonly verify?: readonly FdCheck[];
    }
  /**
   * The stub forks (after unshare(CLONE_NEWPID) the child is pid 1 of the new pid
   * namespace) and setup continues in the child. The old stub is either killed
   * ('kill'), or kept as a reaper ('reaper'): SIGCHLD ignored so the kernel reaps
   * orphans re-parented to it, parked in pause(), and SIGKILLed by the tracer when
   * the program ends (ending the pid namespace with it).
   */
  | { readonly kind: 'fork'; readonly step: string; readonly parent: 'kill' | 'reaper' };

/** One ioctl asked of a taken fd (see the take-fd step). */
export interface FdCheck {
  readonly request: number;
  readonly arg: Uint8Array;
  readonly okErrnos: readonly number[];
  /** What a failure means, for the error message. */
  readonly why: string;
}

/** Where in the launch sequence a group of steps runs. */
export interface SetupProgram {
  /**
   * Right after the stub is seized and its signal state reset, before stdio, cwd,
   * limits and filters: namespaces, maps, mounts, pivot_root, hostname.
   */
  readonly early?: readonly SetupStep[];
  /**
   * After no_new_privs and before the seccomp filters: Landlock rulesets,
   * capability drops that need the namespace set up.
   */
  readonly beforeFilter?: readonly SetupStep[];
}
