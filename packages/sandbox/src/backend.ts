/**
 * Which backend enforces a policy, decided from the kernel's features and the policy
 * itself: `--backend auto|ptrace|unotify|landlock` and `X+landlock` (Landlock beneath a
 * supervisor, as defence in depth). A backend that cannot enforce the whole policy is
 * an error naming what it cannot enforce, never a silent weakening.
 */

import { probeSeccomp } from '@sb/bpf';
import {
  type LandlockProbe,
  probeLandlock,
  rulesetSteps,
  type Translation,
  translate,
  type Unenforced,
} from '@sb/landlock';
import type { Policy } from '@sb/policy';
import { probe as probePtrace, type SetupStep, syscallStopsForced } from '@sb/ptrace';
import { type BackendChoice, chooseBackend } from './features.js';
import { unotifyAutoGap, unotifyUsable } from './unotify.js';

export const BACKEND_REQUESTS = [
  'auto',
  'ptrace',
  'unotify',
  'landlock',
  'ptrace+landlock',
  'unotify+landlock',
] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];

export interface BackendPlan {
  /** What runs: a supervisor, Landlock alone (with the ptrace engine for the residual), or both. */
  readonly name: Exclude<BackendRequest, 'auto'>;
  /** Who decides the syscalls the seccomp filter traps. */
  readonly supervisor: 'ptrace' | 'unotify';
  /** The Landlock translation in force, or null without Landlock. */
  readonly landlock: Translation | null;
  /** Setup steps for the launcher's `beforeFilter` (the ruleset). */
  readonly beforeFilter: readonly SetupStep[];
  /**
   * null: the filter traps every call the policy needs checked. Otherwise only these
   * (Landlock enforces the rest in the kernel; the supervisor stays out of every other call).
   */
  readonly trapOnly: ReadonlySet<string> | null;
  readonly reason: string;
}

/** The requested backend cannot enforce this policy here. */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

function describe(list: readonly Unenforced[]): string {
  return list
    .map((u) => `${u.subject.startsWith(u.category) ? u.subject : `${u.category} ${u.subject}`}: ${u.reason}`)
    .join('; ');
}

let kernelCached: { readonly forced: boolean; readonly choice: BackendChoice } | null = null;

/**
 * The kernel's backend choice (seccomp, ptrace and Landlock probes only; cached per process,
 * and again when SB_FORCE_SYSCALL_STOPS changes: the tracer reads it at each launch).
 */
export function kernelBackend(): BackendChoice {
  const forced = syscallStopsForced(process.env);
  if (kernelCached?.forced !== forced)
    kernelCached = {
      forced,
      choice: chooseBackend(probeSeccomp(), probePtrace(), process.env, probeLandlock(), unotifyUsable),
    };
  return kernelCached.choice;
}

/** The plan for `request` under `policy`; throws BackendError when it cannot enforce the policy. */
export function planBackend(
  request: BackendRequest,
  policy: Policy,
  kernel: BackendChoice,
  landlock: LandlockProbe = probeLandlock(),
): BackendPlan {
  if (!(BACKEND_REQUESTS as readonly string[]).includes(request))
    throw new BackendError(`unknown backend '${request}' (expected one of ${BACKEND_REQUESTS.join(', ')})`);
  // Every backend needs the ptrace engine: it follows clone/fork for process tracking.
  if (kernel.backend === null) throw new BackendError(`no usable backend on this kernel: ${kernel.reason}`);
  const wantsLandlock = request === 'landlock' || request.endsWith('+landlock');
  if (wantsLandlock && !landlock.available)
    throw new BackendError(`--backend ${request}: ${landlock.detail}`);
  const abi = landlock.abi ?? 0;
  const supervisor = request.startsWith('unotify') ? 'unotify' : 'ptrace';
  // Its tracer follows processes through seccomp stops of its own (clone/clone3 traps).
  if (supervisor === 'unotify' && kernel.syscallStops)
    throw new BackendError(`--backend ${request} needs seccomp stops for its tracer: ${kernel.reason}`);
  const beneath = (name: 'ptrace+landlock' | 'unotify+landlock', why: string): BackendPlan => {
    const t = translate(policy, { abi, purpose: 'beneath' });
    return {
      name,
      supervisor: name === 'ptrace+landlock' ? 'ptrace' : 'unotify',
      landlock: t,
      beforeFilter: rulesetSteps(t.ruleset),
      trapOnly: null,
      reason: why,
    };
  };
  switch (request) {
    case 'ptrace':
    case 'unotify':
      return {
        name: request,
        supervisor,
        landlock: null,
        beforeFilter: [],
        trapOnly: null,
        reason: `${request}, as requested`,
      };
    case 'ptrace+landlock':
    case 'unotify+landlock':
      return beneath(request, `${request}, as requested (Landlock ABI ${abi} beneath the supervisor)`);
    case 'landlock': {
      const t = translate(policy, { abi, purpose: 'alone' });
      if (t.residual === null) {
        const hard = t.unenforced.filter((u) => u.residual === null);
        throw new BackendError(
          `--backend landlock cannot enforce this policy (use --backend ptrace+landlock or auto): ${describe(hard)}`,
        );
      }
      const rest = t.residual.length > 0 ? `; the supervisor checks only ${t.residual.join(', ')}` : '';
      return {
        name: 'landlock',
        supervisor: 'ptrace',
        landlock: t,
        beforeFilter: rulesetSteps(t.ruleset),
        trapOnly: new Set(t.residual),
        reason: `landlock, as requested: Landlock ABI ${abi} enforces the file system rules in the kernel${rest}${
          kernel.syscallStops ? ' (but this kernel makes the ptrace engine stop at every syscall)' : ''
        }`,
      };
    }
    default: {
      // The strongest supervisor this kernel offers for this policy: user notification
      // (race-free opens) where it is usable and keeps every part of the policy.
      // The policy is looked at first: the unotify probe clones a throw-away stub (about
      // 10 ms) and is not needed when the policy rules that supervisor out anyway.
      const gap = unotifyAutoGap(policy);
      const sup =
        gap === null && kernel.candidates.some((c) => c.name === 'unotify' && c.usable)
          ? 'unotify'
          : 'ptrace';
      const kept = gap !== null ? ` (not unotify: ${gap})` : '';
      const what = `${sup} checks every call the policy needs and reports violations${kept}`;
      if (!landlock.available)
        return {
          name: sup,
          supervisor: sup,
          landlock: null,
          beforeFilter: [],
          trapOnly: null,
          reason: `${sup}: ${what}; no Landlock: ${landlock.detail}`,
        };
      const alone = translate(policy, { abi, purpose: 'alone' });
      const hint =
        alone.residual !== null
          ? '; Landlock alone could also enforce this policy (--backend landlock: near native speed, no violation reports for denied paths)'
          : '';
      return beneath(
        `${sup}+landlock`,
        `${sup}+landlock: ${what}; Landlock ABI ${abi} enforces the file system rules beneath it in the kernel, race-free${hint}`,
      );
    }
  }
}
