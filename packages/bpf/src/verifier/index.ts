export { CLASSIC_OPCODES, RULES, type Rule, SECCOMP_OPCODES } from './rules.js';
export { type CheckResult, check, VerifyError, verify } from './verify.js';
