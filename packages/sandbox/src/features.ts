/**
 * What this kernel offers, grouped, and which enforcement backend `sb run`
 * picks. Every answer comes from trying the call (seccomp from @sb/bpf,
 * ptrace from @sb/ptrace, the rest from kernel.ts); nothing parses uname.
 */
import { probeSeccomp, type SeccompFeatures } from '@sb/bpf';
import { type Features as PtraceFeatures, probe as probePtrace, syscallStopsForced } from '@sb/ptrace';
import { planBackend } from './backend.js';
import {
  type LandlockProbe,
  type NamespaceName,
  type Probe,
  probeLandlock,
  probeMisc,
  probeNamespaces,
  type UserNamespacePolicy,
  userNamespacePolicy,
} from './kernel.js';
import { defaultProfile } from './policy.js';
import { unotifyUsable } from './unotify.js';

/** What `--backend` accepts besides auto ('X+landlock': Landlock beneath the supervisor X). */
export type BackendName = 'ptrace' | 'unotify' | 'landlock' | 'ptrace+landlock' | 'unotify+landlock';

export interface BackendChoice {
  /**
   * The backend `sb run --backend auto` uses, or null when none can enforce a policy here.
   * From chooseBackend: the kernel's choice before any policy; from features(): the plan
   * for the default profile (what `sb run -- CMD` uses; see planBackend).
   */
  readonly backend: BackendName | null;
  readonly reason: string;
  /** The ptrace backend stops at every syscall (no seccomp filter mode here, or SB_FORCE_SYSCALL_STOPS=1). */
  readonly syscallStops?: boolean;
  /** Every backend sb knows, and whether it can run here. */
  readonly candidates: readonly { readonly name: string; readonly usable: boolean; readonly why: string }[];
}

export interface SandboxFeatures {
  readonly seccomp: SeccompFeatures;
  readonly ptrace: PtraceFeatures;
  readonly namespaces: Readonly<Record<NamespaceName, Probe>>;
  /** Whether (unprivileged) user namespaces are allowed here and, if not, why (@sb/ns). */
  readonly userNamespaces: UserNamespacePolicy;
  readonly landlock: LandlockProbe;
  readonly misc: Readonly<Record<string, Probe>>;
  readonly backend: BackendChoice;
}

export function chooseBackend(
  seccomp: SeccompFeatures,
  ptrace: PtraceFeatures,
  env: Readonly<Record<string, string | undefined>> = process.env,
  /** Landlock's probe; null leaves Landlock out of the choice. */
  landlock: LandlockProbe | null = null,
  /**
   * The unotify supervisor's probe (unotify.ts's unotifyUsable; it clones a throw-away stub,
   * so it runs only when the candidate is looked at); null leaves it out.
   */
  unotify: (() => { readonly usable: boolean; readonly why: string }) | null = null,
): BackendChoice {
  // The same test the tracer makes (traceMode): seccomp stops where a TRACE filter really stopped the probe.
  const seccompOk =
    seccomp.filterMode &&
    ptrace.traceSeccomp &&
    ptrace.seccompOrder !== null &&
    seccomp.actions.TRACE !== false &&
    !syscallStopsForced(env);
  const traceOk = ptrace.seize && seccompOk;
  const stops = ptrace.seize && !seccompOk;
  const why = traceOk
    ? 'seccomp filters with SECCOMP_RET_TRACE and PTRACE_SEIZE + PTRACE_O_TRACESECCOMP work here'
    : !ptrace.seize
      ? 'PTRACE_SEIZE fails here (ptrace forbidden, or a kernel before 3.4)'
      : `syscall-stop tracing (no seccomp filter mode): every syscall stops, slower; ${
          syscallStopsForced(env)
            ? 'forced by SB_FORCE_SYSCALL_STOPS=1'
            : !seccomp.filterMode
              ? 'seccomp filter mode is missing (kernel without CONFIG_SECCOMP_FILTER)'
              : !ptrace.traceSeccomp
                ? 'PTRACE_O_TRACESECCOMP is missing (kernel before 3.5)'
                : 'a SECCOMP_RET_TRACE filter did not stop the probe'
        }`;
  const ptraceOk = traceOk || stops;
  const ll = landlock?.available === true && ptraceOk;
  const llWhy = !landlock
    ? 'not probed'
    : !landlock.available
      ? landlock.detail
      : !ptraceOk
        ? 'needs the ptrace engine (process tracking), which cannot run here'
        : `Landlock ABI ${landlock.abi}`;
  return {
    backend: ll ? 'ptrace+landlock' : ptraceOk ? 'ptrace' : null,
    reason: ll
      ? `ptrace+landlock: ${why}; ${llWhy} beneath it enforces the file system rules in the kernel too (race-free, io_uring included)`
      : ptraceOk
        ? `ptrace: ${why}${landlock ? `; no Landlock: ${llWhy}` : ''}`
        : `no usable backend: ${why}`,
    ...(stops ? { syscallStops: true } : {}),
    candidates: [
      { name: 'ptrace', usable: traceOk || stops, why },
      unotifyCandidate(unotify, traceOk),
      {
        name: 'ptrace+landlock',
        usable: ll,
        why: ll
          ? `${llWhy} beneath ptrace (defence in depth; what Landlock cannot express stays with ptrace)`
          : llWhy,
      },
      {
        name: 'landlock',
        usable: ll,
        why: ll
          ? `${llWhy} alone, ptrace only tracking processes and checking the calls Landlock cannot: for policies Landlock can express (else an error naming what it cannot)`
          : llWhy,
      },
    ],
  };
}

/** The unotify entry of BackendChoice.candidates, probing on first read. */
function unotifyCandidate(
  probe: (() => { readonly usable: boolean; readonly why: string }) | null,
  /** The engine's own traps (clone/clone3 for process tracking) need seccomp stops. */
  traceOk: boolean,
): { readonly name: string; readonly usable: boolean; readonly why: string } {
  let got: { usable: boolean; why: string } | null = null;
  const get = () => {
    if (got) return got;
    const u = probe?.() ?? null;
    got = !u
      ? { usable: false, why: 'not probed' }
      : !traceOk
        ? {
            usable: false,
            why: 'needs the ptrace engine with seccomp stops (SECCOMP_RET_TRACE, for process tracking), which cannot run here',
          }
        : {
            usable: u.usable,
            why: `${u.why}${u.usable ? ' (the open family is opened by the supervisor: race-free)' : ''}`,
          };
    return got;
  };
  return {
    name: 'unotify',
    get usable() {
      return get().usable;
    },
    get why() {
      return get().why;
    },
  };
}

let cached: SandboxFeatures | null = null;

/** Probes everything (tens of ms, cached). */
export function features(): SandboxFeatures {
  if (cached) return cached;
  const seccomp = probeSeccomp();
  const ptrace = probePtrace();
  const landlock = probeLandlock();
  cached = {
    seccomp,
    ptrace,
    namespaces: probeNamespaces(),
    userNamespaces: userNamespacePolicy(),
    landlock,
    misc: {
      ...probeMisc(),
      process_vm_readv: { available: ptrace.processVm },
      'seccomp user notification': {
        available: seccomp.actions.USER_NOTIF === true && seccomp.flags.NEW_LISTENER === true,
      },
    },
    backend: forDefaultProfile(
      chooseBackend(seccomp, ptrace, process.env, landlock, unotifyUsable),
      landlock,
    ),
  };
  return cached;
}

/** What `auto` picks for the default profile, and why (the policy can rule a supervisor out). */
function forDefaultProfile(kernel: BackendChoice, landlock: LandlockProbe): BackendChoice {
  if (kernel.backend === null) return kernel;
  let cwd = '/';
  try {
    cwd = process.cwd();
  } catch {
    // A working directory that was removed: the profile's rules name it, the choice does not depend on it.
  }
  const plan = planBackend('auto', defaultProfile(cwd), kernel, landlock);
  return { ...kernel, backend: plan.name, reason: plan.reason };
}
