/**
 * @sb/policy/engine: the run-time half of the package — compile a Policy object
 * and check syscalls against it — without the file formats (YAML, JSON schema,
 * sydbox-1 files) and their libraries. A tracer thread imports only this, which
 * keeps yaml and zod off every sandbox's start-up path.
 */
export type { Decision, DecisionReason, MatchedRule } from './checker.js';
export { Checker } from './checker.js';
export type { CompiledPolicy, CompileOptions } from './compile.js';
export { compilePolicy } from './compile.js';
export type { SyscallEvent, SyscallVerdict, TraceeMemory } from './evaluate.js';
export type { Category, Policy } from './model.js';
export type { DecodeResult, SockAddr } from './net.js';
export { decodeSockaddr } from './net.js';
export { compilePathPattern, type PathMatcher } from './pattern.js';
export { AT_FDCWD, PathResolver } from './resolve.js';
