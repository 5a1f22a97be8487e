/**
 * What this kernel offers, grouped, and which enforcement backend `sb run`
 * picks. Every answer comes from trying the call (seccomp from @sb/bpf,
 * ptrace from @sb/ptrace, the rest from kernel.ts); nothing parses uname.
 */
import { probeSeccomp, type SeccompFeatures } from '@sb/bpf';
import { type Features as PtraceFeatures, probe as probePtrace } from '@sb/ptrace';
import {
  type LandlockProbe,
  type NamespaceName,
  type Probe,
  probeLandlock,
  probeMisc,
  probeNamespaces,
} from './kernel.js';

export type BackendName = 'ptrace';

export interface BackendChoice {
  /** The backend `sb run --backend auto` uses, or null when none can enforce a policy here. */
  readonly backend: BackendName | null;
  readonly reason: string;
  /** Every backend sb knows, and whether it can run here. */
  readonly candidates: readonly { readonly name: string; readonly usable: boolean; readonly why: string }[];
}

export interface SandboxFeatures {
  readonly seccomp: SeccompFeatures;
  readonly ptrace: PtraceFeatures;
  readonly namespaces: Readonly<Record<NamespaceName, Probe>>;
  readonly landlock: LandlockProbe;
  readonly misc: Readonly<Record<string, Probe>>;
  readonly backend: BackendChoice;
}

export function chooseBackend(seccomp: SeccompFeatures, ptrace: PtraceFeatures): BackendChoice {
  const traceOk =
    seccomp.filterMode && ptrace.seize && ptrace.traceSeccomp && seccomp.actions.TRACE !== false;
  const why = traceOk
    ? 'seccomp filters with SECCOMP_RET_TRACE and PTRACE_SEIZE + PTRACE_O_TRACESECCOMP work here'
    : !ptrace.seize
      ? 'PTRACE_SEIZE fails here (ptrace forbidden, or a kernel before 3.4)'
      : !seccomp.filterMode
        ? 'seccomp filter mode is missing (kernel without CONFIG_SECCOMP_FILTER); syscall-stop tracing without a filter is not implemented by the tracer yet'
        : 'PTRACE_O_TRACESECCOMP is missing (kernel before 3.5)';
  return {
    backend: traceOk ? 'ptrace' : null,
    reason: traceOk ? `ptrace: ${why} (the only backend sb has so far)` : `no usable backend: ${why}`,
    candidates: [
      { name: 'ptrace', usable: traceOk, why },
      { name: 'user-notif', usable: false, why: 'not implemented yet' },
      { name: 'landlock', usable: false, why: 'not implemented yet' },
    ],
  };
}

let cached: SandboxFeatures | null = null;

/** Probes everything (tens of ms, cached). */
export function features(): SandboxFeatures {
  if (cached) return cached;
  const seccomp = probeSeccomp();
  const ptrace = probePtrace();
  cached = {
    seccomp,
    ptrace,
    namespaces: probeNamespaces(),
    landlock: probeLandlock(),
    misc: {
      ...probeMisc(),
      process_vm_readv: { available: ptrace.processVm },
      'seccomp user notification': {
        available: seccomp.actions.USER_NOTIF === true && seccomp.flags.NEW_LISTENER === true,
      },
    },
    backend: chooseBackend(seccomp, ptrace),
  };
  return cached;
}
