/**
 * @sb/ns: Linux namespaces for sb. Options (bubblewrap's model) compile into a
 * @sb/ptrace setup program that the launcher runs in its single-threaded stub
 * before execve; probes say what the kernel allows and why not.
 */
export {
  ARG_HELP,
  ArgsError,
  applyEnv,
  type EnvOp,
  isNamespaceOption,
  type ParsedArgs,
  parseBwrapArgs,
  UNSUPPORTED,
} from './args.js';
export { CAPABILITIES, type CapabilityName, capabilityNumber } from './caps.js';
export {
  type CompiledNamespaces,
  compileNamespaces,
  type NamespacePlan,
  subordinateMap,
  timensOffsets,
} from './compile.js';
export {
  type HostInfo,
  type HostMount,
  mountFlags,
  mountsUnder,
  parseMountinfo,
  realHost,
  type SourceLookup,
} from './host.js';
export {
  type MountOp,
  NAMESPACE_NAMES,
  type NamespaceName,
  type NamespaceOptions,
  NamespaceOptionsError,
  type NamespaceOptionsInput,
  namespaceOptionsSchema,
  parseNamespaceOptions,
} from './options.js';
export { checkNamespaces, hostInfo, NamespaceUnavailableError, prepareNamespaces } from './prepare.js';
export {
  explainUserNamespacePolicy,
  NAMESPACE_FLAGS,
  type Probe,
  probeMountSetattr,
  probeNamespace,
  probeNamespaces,
  type UserNamespacePolicy,
  userNamespacePolicy,
} from './probe.js';
