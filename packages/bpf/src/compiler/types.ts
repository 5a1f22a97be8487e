/**
 * The rules the compiler takes. Actions are the kernel's 32-bit filter return
 * values (SECCOMP_RET_* | data); see ./actions.ts for the text forms.
 */

/** Comparison of one syscall argument with a constant, on unsigned 64-bit values (libseccomp's semantics). */
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'masked==';

export const CMP_OPS: readonly CmpOp[] = ['==', '!=', '<', '<=', '>', '>=', 'masked=='];

export interface ArgCondition {
  /** Argument index, 0..5. */
  readonly index: number;
  readonly op: CmpOp;
  /** Unsigned 64-bit value (negative values are taken modulo 2^64). */
  readonly value: bigint;
  /** For 'masked==': the condition is (arg & mask) == value. */
  readonly mask?: bigint;
}

export interface PolicyRule {
  /**
   * A syscall name ('openat'), a group of @sb/syscalls ('@file-system'), or a raw number
   * on every architecture of the policy (-1 is the number a tracer's skip leaves).
   */
  readonly syscall: string | number;
  /** Filter return value, e.g. SECCOMP_RET_ALLOW or SECCOMP_RET_ERRNO | 1. */
  readonly action: number;
  /** All conditions must hold (AND). Several rules for one syscall: the first that matches wins. */
  readonly args?: readonly ArgCondition[];
}

export interface Policy {
  /** ABI names as @sb/syscalls knows them ('x86_64', 'i386', 'x32', 'aarch64', ...). The first is the hot path. */
  readonly arches: readonly string[];
  /** Action for syscalls no rule matches. */
  readonly defaultAction: number;
  /** Action for a seccomp_data.arch (or x86_64/x32 half) not in `arches`. Default KILL_PROCESS. */
  readonly badArchAction?: number;
  readonly rules: readonly PolicyRule[];
}

/** A policy the compiler cannot turn into a correct program (unknown name, impossible condition, too long). */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}
