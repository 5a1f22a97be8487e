/**
 * Emulated kernel personalities: a seccomp filter that makes every interface newer
 * than a version fail as that version would, so the in-guest suite can run "as 3.5"
 * on a newer real kernel. Built with @sb/bpf's compiler from the `since` data of
 * @sb/syscalls and ./emulation-data.ts; loaded in the guest by fixtures/run-as.c.
 *
 * Limits: x86_64 only (the suite is x86_64; i386 and x32 calls pass untouched);
 * syscalls whose `since` is unknown pass; SECCOMP_GET_ACTION_AVAIL cannot be made to
 * refuse newer actions (the action is behind a pointer); see NOT_EMULATED.
 */
import { action, compile, encode, type Insn, type Policy, type PolicyRule, SECCOMP_RET_ALLOW } from '@sb/bpf';
import { compareKernelVersions, syscalls } from '@sb/syscalls';
import {
  CLONE_FLAGS,
  PRCTL_OPTIONS,
  PTRACE_OPTIONS,
  PTRACE_REQUESTS,
  PTRACE_SEIZE,
  PTRACE_SETOPTIONS,
  SECCOMP_FLAGS,
  SECCOMP_OPERATIONS,
  SECCOMP_SET_MODE_FILTER,
  UNSHARE_FLAGS,
} from './emulation-data.js';

const EINVAL = 22;
const EIO = 5;
const ENOSYS = 38;

const newer = (since: string, version: string) => compareKernelVersions(since, version) > 0;

export interface EmulationPolicy {
  readonly policy: Policy;
  /** Syscalls made to fail with ENOSYS. */
  readonly missing: readonly string[];
  /** Syscalls left alone because @sb/syscalls does not know when they appeared. */
  readonly unknownSince: readonly string[];
}

/** The filter policy that makes this kernel look like VERSION. */
export function emulationPolicy(version: string): EmulationPolicy {
  const rules: PolicyRule[] = [];
  const bit = (index: number, b: number) => ({
    index,
    op: 'masked==' as const,
    value: BigInt(b),
    mask: BigInt(b),
  });
  const eq = (index: number, v: number) => ({ index, op: '==' as const, value: BigInt(v) });

  // Argument rules come first: the first matching rule wins, and a syscall that is
  // missing altogether is handled by the ENOSYS rules after them.
  for (const o of PTRACE_OPTIONS.filter((x) => newer(x.since, version))) {
    for (const req of [PTRACE_SETOPTIONS, PTRACE_SEIZE]) {
      rules.push({ syscall: 'ptrace', action: action.errno(EINVAL), args: [eq(0, req), bit(3, o.bit)] });
    }
  }
  for (const r of PTRACE_REQUESTS.filter((x) => newer(x.since, version))) {
    rules.push({ syscall: 'ptrace', action: action.errno(EIO), args: [eq(0, r.request)] });
  }
  for (const p of PRCTL_OPTIONS.filter((x) => newer(x.since, version))) {
    rules.push({ syscall: 'prctl', action: action.errno(EINVAL), args: [eq(0, p.option)] });
  }
  for (const s of SECCOMP_OPERATIONS.filter((x) => newer(x.since, version))) {
    rules.push({ syscall: 'seccomp', action: action.errno(EINVAL), args: [eq(0, s.op)] });
  }
  for (const f of SECCOMP_FLAGS.filter((x) => newer(x.since, version))) {
    rules.push({
      syscall: 'seccomp',
      action: action.errno(EINVAL),
      args: [eq(0, SECCOMP_SET_MODE_FILTER), bit(1, f.bit)],
    });
  }
  for (const f of UNSHARE_FLAGS.filter((x) => newer(x.since, version))) {
    rules.push({ syscall: 'unshare', action: action.errno(EINVAL), args: [bit(0, f.bit)] });
  }
  for (const f of CLONE_FLAGS.filter((x) => newer(x.since, version))) {
    rules.push({ syscall: 'clone', action: action.errno(EINVAL), args: [bit(0, f.bit)] });
  }

  const missing: string[] = [];
  const unknownSince: string[] = [];
  for (const s of syscalls('x86_64')) {
    if (!s.implemented) continue;
    if (s.since === null) unknownSince.push(s.name);
    else if (newer(s.since, version)) missing.push(s.name);
  }
  // A syscall with argument rules that is missing too: ENOSYS must win.
  const missingSet = new Set(missing);
  const argRules = rules.filter((r) => !missingSet.has(r.syscall as string));
  const enosys = missing.map((name): PolicyRule => ({ syscall: name, action: action.errno(ENOSYS) }));
  return {
    policy: {
      arches: ['x86_64'],
      defaultAction: SECCOMP_RET_ALLOW,
      // Not a sandbox: other ABIs run as the real kernel has them (documented limit).
      badArchAction: SECCOMP_RET_ALLOW,
      rules: [...enosys, ...argRules],
    },
    missing,
    unknownSince,
  };
}

export function emulationFilter(version: string): { program: Insn[]; bytes: Uint8Array } & EmulationPolicy {
  const p = emulationPolicy(version);
  const program = compile(p.policy);
  return { ...p, program, bytes: encode(program) };
}
