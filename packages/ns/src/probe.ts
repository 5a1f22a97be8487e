/**
 * Kernel probes: each namespace type (a clone() child in the new namespaces that
 * runs libc's _exit at once, so no JavaScript runs there), whether unprivileged
 * user namespaces are allowed here and, if not, why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';
import { CLONE } from './constants.js';
import type { NamespaceName } from './options.js';

const libc = koffi.load('libc.so.6');
const cloneRaw = libc.func('int clone(void *fn, void *stack, int flags, void *arg)');
const waitpidRaw = libc.func('int waitpid(int pid, void *status, int options)');
const mallocRaw = libc.func('void *malloc(size_t size)');
const freeRaw = libc.func('void free(void *ptr)');
const syscallRaw = libc.func(
  'long syscall(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f)',
);
const exitAddress: bigint = koffi.address(libc.symbol('_exit'));
const unshareAddress: bigint = koffi.address(libc.symbol('unshare'));

const SIGCHLD = 17;
const WALL = 0x40000000;
const EINTR = 4;
const ENOSYS = 38;

/** clone() flags of the namespaces clone() can create (time only through unshare/clone3). */
export const NAMESPACE_FLAGS = {
  user: CLONE.user,
  mount: CLONE.mount,
  pid: CLONE.pid,
  net: CLONE.net,
  ipc: CLONE.ipc,
  uts: CLONE.uts,
  cgroup: CLONE.cgroup,
} as const;

export interface Probe {
  readonly available: boolean;
  /** errno name of the failed probe, when it failed. */
  readonly errno?: string;
  readonly detail?: string;
}

export function errnoName(n: number): string {
  for (const [name, v] of Object.entries(koffi.os.errno)) if (v === n) return name;
  return `errno ${n}`;
}

/**
 * A new child in the namespaces of `flags` that exits at once; whether the kernel allowed it.
 * With `viaUnshare`, the child is created plainly and calls unshare(flags) (its exit status
 * is unshare's result): unshare rejects flags it does not know, where clone(2) ignores some,
 * and a forked child is single-threaded, so CLONE_NEWUSER works there unprivileged.
 */
export function probeNamespace(flags: number, viaUnshare = false): Probe {
  const size = 64 * 1024;
  const stack = mallocRaw(size);
  if (stack === null) return { available: false, errno: 'ENOMEM' };
  try {
    const top = (koffi.address(stack) + BigInt(size)) & ~15n;
    const pid = (
      viaUnshare
        ? cloneRaw(unshareAddress, top, SIGCHLD, BigInt(flags))
        : cloneRaw(exitAddress, top, flags | SIGCHLD, 0n)
    ) as number;
    if (pid < 0) return { available: false, errno: errnoName(koffi.errno()) };
    const status = new Int32Array(1);
    // Our own child, by pid: libuv's children are never touched.
    while ((waitpidRaw(pid, status, WALL) as number) < 0 && koffi.errno() === EINTR) {
      // EINTR: wait again.
    }
    const code = (status[0]! >> 8) & 0xff;
    if (code === 0) return { available: true };
    return {
      available: false,
      detail: viaUnshare ? 'unshare failed in a child' : `child exited with ${code}`,
    };
  } finally {
    freeRaw(stack);
  }
}

/** Every namespace type, as this process could create it (unprivileged: inside a new user namespace). */
export function probeNamespaces(): Record<NamespaceName, Probe> {
  const extra = process.geteuid?.() === 0 ? 0 : NAMESPACE_FLAGS.user;
  const out = {} as Record<NamespaceName, Probe>;
  for (const [name, flag] of Object.entries(NAMESPACE_FLAGS) as [keyof typeof NAMESPACE_FLAGS, number][]) {
    // clone(2) ignored CLONE_NEWCGROUP's bit (once CLONE_STOPPED) before 4.6: ask unshare.
    out[name] = probeNamespace(name === 'user' ? flag : flag | extra, name === 'cgroup');
  }
  // CLONE_NEWTIME shares its bit with CSIGNAL: clone() cannot ask for it, unshare can.
  out.time = probeNamespace(CLONE.time | extra, true);
  return out;
}

/** mount_setattr(2) (Linux 5.12) exists: it answers a bad fd with EBADF/EINVAL, not ENOSYS. */
export function probeMountSetattr(): boolean {
  const nr = syscallByName(nativeArch(), 'mount_setattr')?.nr;
  if (nr === undefined) return false;
  const r = Number(syscallRaw(nr, 0xffffffffn, 0n, 0n, 0n, 0n, 0n));
  return r >= 0 || koffi.errno() !== ENOSYS;
}

function readSysctl(path: string): number | null {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export interface UserNamespacePolicy {
  /** This process can create a user namespace now (probed). */
  readonly allowed: boolean;
  /** An ordinary user could, as far as the sysctls tell (for root callers, whose probe says nothing about that). */
  readonly unprivilegedAllowed: boolean;
  /** Why not, naming the setting and how to change it; absent when allowed. */
  readonly reason?: string;
  /** Why an ordinary user could not, when `unprivilegedAllowed` is false. */
  readonly unprivilegedReason?: string;
  readonly probe: Probe;
  /** The settings read (null: not present on this kernel). */
  readonly sysctls: {
    readonly 'user.max_user_namespaces': number | null;
    readonly 'kernel.unprivileged_userns_clone': number | null;
    readonly 'kernel.apparmor_restrict_unprivileged_userns': number | null;
  };
}

/** What the user namespace settings and the probe mean; pure, so every combination is tested. */
export function explainUserNamespacePolicy(
  sysctls: UserNamespacePolicy['sysctls'],
  probe: Probe,
  root: boolean,
  kernelHasUserns: boolean,
): UserNamespacePolicy {
  const reasons: string[] = [];
  if (!kernelHasUserns)
    reasons.push(
      'this kernel has no user namespaces (CONFIG_USER_NS is off; Linux 3.8+ with it on is needed)',
    );
  if (sysctls['user.max_user_namespaces'] === 0)
    reasons.push('user.max_user_namespaces is 0 (sysctl -w user.max_user_namespaces=10000 allows them)');
  const unprivReasons: string[] = [];
  if (sysctls['kernel.unprivileged_userns_clone'] === 0)
    unprivReasons.push(
      'kernel.unprivileged_userns_clone is 0: only root may create user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 allows them)',
    );
  if (sysctls['kernel.apparmor_restrict_unprivileged_userns'] === 1)
    unprivReasons.push(
      "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1): an AppArmor profile with 'userns,' for node, or the sysctl set to 0, allows them",
    );
  const all = [...reasons, ...(root ? [] : unprivReasons)];
  if (!probe.available && all.length === 0 && probe.errno === 'ENOSPC') {
    all.push(
      'clone(CLONE_NEWUSER) fails with ENOSPC: the user.max_user_namespaces limit of this or an enclosing user namespace is reached (a sandbox around this one may forbid nesting, e.g. bwrap --disable-userns)',
    );
  } else if (!probe.available && all.length === 0) {
    all.push(
      `clone(CLONE_NEWUSER) fails with ${probe.errno ?? probe.detail ?? 'an error'} although no setting forbids it (a seccomp filter, a container runtime, a chroot or an LSM may forbid user namespaces to this process)`,
    );
  }
  const unprivilegedAllowed = reasons.length === 0 && unprivReasons.length === 0 && (root || probe.available);
  const unprivAll = [...reasons, ...unprivReasons];
  return {
    allowed: probe.available,
    unprivilegedAllowed,
    ...(probe.available ? {} : { reason: all.join('; ') }),
    ...(unprivilegedAllowed
      ? {}
      : { unprivilegedReason: unprivAll.length > 0 ? unprivAll.join('; ') : all.join('; ') }),
    probe,
    sysctls,
  };
}

/** Whether user namespaces can be created here and, if not, why. */
export function userNamespacePolicy(): UserNamespacePolicy {
  return explainUserNamespacePolicy(
    {
      'user.max_user_namespaces': readSysctl('/proc/sys/user/max_user_namespaces'),
      'kernel.unprivileged_userns_clone': readSysctl('/proc/sys/kernel/unprivileged_userns_clone'),
      'kernel.apparmor_restrict_unprivileged_userns': readSysctl(
        '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
      ),
    },
    probeNamespace(NAMESPACE_FLAGS.user),
    process.geteuid?.() === 0,
    existsSync('/proc/self/ns/user'),
  );
}
