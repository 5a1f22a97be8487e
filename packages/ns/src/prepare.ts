/**
 * The real-host path: probe, compile, and check that the kernel will create every
 * namespace asked for, so a refusal is one clear error (naming the sysctl that
 * forbids user namespaces, when one does) before anything starts.
 */
import { type CompiledNamespaces, compileNamespaces, type NamespacePlan } from './compile.js';
import { CLONE } from './constants.js';
import { type HostInfo, realHost } from './host.js';
import type { NamespaceOptionsInput } from './options.js';
import { NAMESPACE_FLAGS, probeMountSetattr, probeNamespace, userNamespacePolicy } from './probe.js';

/** The kernel (or its settings) will not create a namespace asked for. */
export class NamespaceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NamespaceUnavailableError';
  }
}

/** Throws NamespaceUnavailableError when a required namespace of `plan` cannot be created here. */
export function checkNamespaces(plan: NamespacePlan): void {
  const required = plan.namespaces.filter((n) => !plan.optional.includes(n));
  const base = plan.userNamespace ? NAMESPACE_FLAGS.user : 0;
  const cloneable = required.filter((n): n is keyof typeof NAMESPACE_FLAGS => n !== 'time' && n !== 'user');
  const all = cloneable.reduce((f, n) => f | NAMESPACE_FLAGS[n], base);
  // One clone() answers the common case; only a refusal is looked into.
  const cloneOk = all === 0 || probeNamespace(all).available;
  const timeOk = !required.includes('time') || probeNamespace(CLONE.time | base, true).available;
  if (cloneOk && timeOk) return;
  if (plan.userNamespace) {
    const policy = userNamespacePolicy();
    if (!policy.allowed)
      throw new NamespaceUnavailableError(`cannot create a user namespace: ${policy.reason}`);
  }
  if (!timeOk)
    throw new NamespaceUnavailableError(
      'cannot create a time namespace: unshare(CLONE_NEWTIME) fails (Linux 5.6+ with CONFIG_TIME_NS is needed)',
    );
  for (const n of cloneable) {
    const p = probeNamespace(base | NAMESPACE_FLAGS[n], n === 'cgroup');
    if (!p.available)
      throw new NamespaceUnavailableError(
        `cannot create a ${n} namespace: ${n === 'cgroup' ? 'unshare' : 'clone'}(CLONE_NEW${n === 'mount' ? 'NS' : n.toUpperCase()}) fails${p.errno ? ` with ${p.errno}` : ''} (a kernel without CONFIG_${n === 'mount' ? 'NAMESPACES' : `${n.toUpperCase()}_NS`}, or forbidden here)`,
      );
  }
  throw new NamespaceUnavailableError(`cannot create the namespaces ${cloneable.join(', ')} together here`);
}

let mountSetattr: boolean | null = null;
let userNamespaces: boolean | null = null;

/** This host; probes run once per process, and only when needed. */
export function hostInfo(): HostInfo {
  mountSetattr ??= probeMountSetattr();
  return realHost({
    mountSetattr,
    get userNamespaces() {
      userNamespaces ??= probeNamespace(NAMESPACE_FLAGS.user).available;
      return userNamespaces;
    },
  });
}

/** Validates, compiles against this host and checks the kernel: ready to pass as `setup` to a launch. */
export function prepareNamespaces(
  input: NamespaceOptionsInput,
  host: HostInfo = hostInfo(),
): CompiledNamespaces {
  const compiled = compileNamespaces(input, host);
  checkNamespaces(compiled.plan);
  return compiled;
}
