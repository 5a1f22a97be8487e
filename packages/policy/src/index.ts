/**
 * @sb/policy: the sandbox policy — categories, rules, path and address
 * patterns, syscall coverage, compilation to seccomp rules and a runtime
 * checker, tracee path resolution, policy files, sydbox-1 magic commands and
 * built-in profiles.
 */

export type { OpenFlags } from './arch/flags.js';
export { AT, MS_BIND, MS_MOVE, openFlagsFor, RENAME_EXCHANGE, RENAME_NOREPLACE } from './arch/flags.js';
export type {
  CheckContext,
  CheckRequest,
  Decision,
  DecisionReason,
  MatchedRule,
  Verdict,
} from './checker.js';
export { Checker, PolicyCompileError } from './checker.js';
export type {
  ArchRules,
  ArgCondition,
  CompiledPolicy,
  CompileOptions,
  LandlockRuleset,
  SyscallAction,
  SyscallRule,
} from './compile.js';
export { compilePolicy, compileSyscallRules } from './compile.js';
export type { Follow, PathOperand, SyscallCheck } from './coverage.js';
export { COVERAGE, NOT_CHECKED, OPAQUE, SOCKETCALL_CHECKED, TRACE_IDS } from './coverage.js';
export type { ErrnoContext, ErrnoName, Op } from './errno.js';
export { denyErrno, isSafeDenial } from './errno.js';
export type { SyscallEvent, SyscallVerdict, TraceeMemory } from './evaluate.js';
export { openCategories, SyscallEvaluator } from './evaluate.js';
export type { LoadOptions, PolicyFile } from './format/file.js';
export { formatPolicyFile, PolicyFileError, parsePolicyFile, policyFileSchema } from './format/file.js';
export type {
  ApplyResult,
  MagicCommand,
  MagicOp,
  MutablePolicy,
  SydboxParseResult,
} from './format/sydbox.js';
export {
  applyMagicCommand,
  formatSydbox,
  MagicCommandError,
  magicKeys,
  parseMagicCommand,
  parseSydbox,
} from './format/sydbox.js';
export type { LoadPolicyOptions, PolicyFormat } from './load.js';
export { formatOf, loadPolicy, PolicyLoadError, parsePolicy } from './load.js';
export type { MagicAnswer } from './magic.js';
export { MAGIC_PREFIXES, MagicState, magicAllowed, parseMagicPath } from './magic.js';
export type {
  Category,
  MagicLock,
  Policy,
  PolicyInput,
  PolicyOptions,
  QuietPattern,
  Rule,
  RuleAction,
  SandboxMode,
  SourceLocation,
  ViolationDecision,
} from './model.js';
export {
  CATEGORIES,
  DEFAULT_OPTIONS,
  definePolicy,
  emptyPolicy,
  mergePolicies,
  NET_CATEGORIES,
  PATH_CATEGORIES,
  RULE_ACTIONS,
  SANDBOX_MODES,
} from './model.js';
export type { AddressPattern, AddressSide, DecodeResult, PortRange, SockAddr } from './net.js';
export {
  ADDRESS_ALIASES,
  AddressPatternError,
  addressMatches,
  canonicalAddress,
  decodeSockaddr,
  encodeSockaddr,
  formatAddressPattern,
  formatSockAddr,
  parseAddressPattern,
  parseIPv4,
  parseIPv6,
} from './net.js';
export type { MatchOptions, NoWildcardMode, PathMatcher } from './pattern.js';
export { compilePathPattern } from './pattern.js';
export type { OperandPlan, SyscallPlan } from './plan.js';
export { checkFor, planSyscall } from './plan.js';
export type { ProfileInfo } from './profiles.js';
export { PROFILES, profile, profileNames } from './profiles.js';
export type {
  Resolved,
  ResolveErrno,
  ResolveFailure,
  ResolveRequest,
  ResolveResult,
  ResolverOptions,
} from './resolve.js';
export { AT_FDCWD, MAXSYMLINKS, NAME_MAX, namespacePid, PATH_MAX, PathResolver } from './resolve.js';
export type { WildmatchOptions } from './wildmatch.js';
export { hasWildcard, wildmatch } from './wildmatch.js';
