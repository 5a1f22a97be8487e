/**
 * @sb/landlock: the Landlock layer of sb. Probe the kernel's ABI, translate a
 * policy into a ruleset (saying exactly what Landlock cannot enforce), and turn
 * the ruleset into setup steps the launcher runs in the program's process.
 */
export {
  ABI_VERSIONS,
  type AbiRights,
  type AbiVersion,
  abiOf,
  FILE_RIGHTS,
  FS,
  type FsRight,
  KNOWN_ABI,
  LANDLOCK_CREATE_RULESET_VERSION,
  LANDLOCK_RULE_NET_PORT,
  LANDLOCK_RULE_PATH_BENEATH,
  NET,
  type NetRight,
  RESTRICT_SELF,
  rightNames,
  rightsFor,
  SCOPE,
  type ScopeRight,
} from './abi.js';
export { type FsView, hostFs, type PathKind } from './fsview.js';
export { interpretProbe, type LandlockProbe, probeLandlock } from './probe.js';
export * as residual from './residual.js';
export {
  AT_FDCWD,
  type LandlockStep,
  netPortAttr,
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  pathBeneathAttr,
  rulesetAttr,
  rulesetSteps,
  type SetupValue,
  SKIPPABLE_OPEN_ERRNOS,
  type StepOptions,
} from './steps.js';
export {
  CATEGORY_RIGHTS,
  fixedPrefix,
  isBeneath,
  type LandlockRuleset,
  type PathGrant,
  type PortGrant,
  type TranslateOptions,
  type Translation,
  translate,
  type Unenforced,
} from './translate.js';
