export {
  ACTIONS_WITH_DATA,
  ACTIONS_WITHOUT_DATA,
  type ActionEffect,
  type ActionKind,
  actionEffect,
  actionName,
  actionRank,
  MAX_ERRNO,
} from './actions.js';
export {
  type EmulateOptions,
  type EmulationResult,
  emulate,
  emulateStack,
  type StackResult,
} from './emulate.js';
export {
  AUDIT_ARCH_64BIT,
  AUDIT_ARCH_LE,
  auditArchIsLittleEndian,
  type SeccompData,
  seccompDataBytes,
  seccompDataWords,
} from './seccomp-data.js';
