export * from './arch/index.js';
export {
  cloneFlags,
  type DecodedArg,
  decodeArgs,
  flags,
  formatReturn,
  openFlags,
  quote,
  type SyscallMeta,
  signalName,
} from './decode.js';
export {
  encodeFilter,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_TRACE,
  traceFilter,
} from './filter.js';
export {
  LaunchError,
  type LaunchOptions,
  type LaunchTimings,
  RLIM_INFINITY,
  RLIMITS,
  type RlimitName,
  type StdioSpec,
} from './launch.js';
export { type MemoryMethod, TraceeMemory } from './memory.js';
export { closeFd, ErrnoError, errnoName, pipe2 } from './native.js';
export { describeFeatures, type Features, probe, type SeccompOrder } from './probe.js';
export { Sandbox, type SandboxResult, type SandboxStdio, type SpawnOptions, spawn } from './sandbox.js';
export type { FdCheck, SetupProgram, SetupStep, SetupValue } from './setup.js';
export { PrestartedWorker, prestartTracer, TracerThread } from './thread.js';
export { inThrowawayStub, type StubCalls } from './throwaway.js';
export {
  type ExitStatus,
  type RunResult,
  type SyscallExit,
  type SyscallStop,
  shellStatus,
  syscallStopsForced,
  type TraceHandler,
  type TraceMode,
  Tracer,
  type TracerOptions,
  traceMode,
  type Verdict,
} from './tracer.js';
