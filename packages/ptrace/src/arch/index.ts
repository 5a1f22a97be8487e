import { aarch64 } from './aarch64.js';
import type { ArchOps } from './types.js';
import { x86_64 } from './x86_64.js';

export { aarch64 } from './aarch64.js';
export type { AbiName, ArchOps, CloneNumbers, InjectNumbers, SyscallRegsView } from './types.js';
export { viewFromRegs } from './types.js';
export { x86_64 } from './x86_64.js';

const BY_MACHINE: Record<string, ArchOps> = { x64: x86_64, arm64: aarch64 };

/** The ArchOps of the machine Node runs on; throws (fail closed) on any other. */
export function hostArch(): ArchOps {
  const ops = BY_MACHINE[process.arch];
  if (ops === undefined) {
    throw new Error(`@sb/ptrace supports x86_64 and aarch64 hosts; this one is ${process.arch}`);
  }
  return ops;
}
