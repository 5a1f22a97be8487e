export { action, formatAction, parseAction } from './actions.js';
export { type CompileOptions, type CompileResult, compile, compileDetailed } from './compile.js';
export { conditionHolds, evaluatePolicy } from './reference.js';
export { parsePolicy, policySchema, policyToJson } from './schema.js';
export {
  type ArgCondition,
  CMP_OPS,
  type CmpOp,
  type Policy,
  PolicyError,
  type PolicyRule,
} from './types.js';
