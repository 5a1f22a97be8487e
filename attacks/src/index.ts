/**
 * @sb/attacks: sb's attacker corpus (programs/*.c, one technique each), its expected outcomes per
 * backend, the runner that judges each run from the program's report and host-side evidence,
 * and the table the test prints.
 */
export { type Built, buildCorpus, PROGRAMS_DIR } from './build.js';
export {
  type Attack,
  type AttackContext,
  basePolicy,
  type Category,
  CORPUS,
  type Expectation,
  expectationFor,
  fileSystemOnly,
  LIMITATIONS,
  type LimitationId,
  landlockPolicy,
  type Mode,
  type User,
} from './corpus.js';
export { type HarnessInput, type HarnessOutput, runSandboxed } from './harness.js';
export { makeWorld, NOBODY, processesIn, type World } from './layout.js';
export {
  type AttackResult,
  policyFor,
  pool,
  type RunAttackOptions,
  runAttack,
  usableBackends,
  type Verdict,
} from './runner.js';
export { formatFindings, formatTable } from './table.js';
