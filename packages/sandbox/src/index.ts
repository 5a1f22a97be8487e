/**
 * @sb/sandbox: run programs under an sb policy. Composes @sb/policy (what is
 * allowed), @sb/bpf (the seccomp filter) and @sb/ptrace (the supervisor).
 */
export { hostAbis } from './arches.js';
export {
  BACKEND_REQUESTS,
  BackendError,
  type BackendPlan,
  type BackendRequest,
  kernelBackend,
  planBackend,
} from './backend.js';
export { type Explanation, explainLog, explainViolation } from './explain.js';
export {
  type BackendChoice,
  type BackendName,
  chooseBackend,
  features,
  type SandboxFeatures,
} from './features.js';
export { type CompiledFilter, compileFilter, ENGINE_TRACE_ID } from './filter.js';
export type { HandlerData, HandlerEvent } from './handler.js';
export {
  type LandlockProbe,
  NAMESPACE_FLAGS,
  type NamespaceName,
  type Probe,
  probeLandlock,
  probeMisc,
  probeNamespace,
  probeNamespaces,
} from './kernel.js';
export {
  type Access,
  type GeneraliseOptions,
  generalisePaths,
  type LearnResult,
  learn,
  learningPolicy,
  policyFromAccesses,
} from './learn.js';
export { boundAddress, boundPort } from './netbind.js';
export {
  allProfileNames,
  type BuildResult,
  buildPolicy,
  DEFAULT_PROFILE,
  DEFAULT_PROFILE_DESCRIPTION,
  defaultProfile,
  type PolicySource,
  SandboxPolicyError,
} from './policy.js';
export { type PrestartOptions, prestart } from './prestart.js';
export { programPath } from './program.js';
export { formatViolation, type Violation, type ViolationRule } from './report.js';
export {
  type RunOptions,
  type RunResult,
  run,
  type SandboxEvents,
  SandboxExecDenied,
  type SandboxExit,
  type SandboxOptions,
  SandboxProcess,
  spawn,
} from './spawn.js';
export { unotifyPolicyGap, unotifyUsable } from './unotify.js';
