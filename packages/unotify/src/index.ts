/**
 * @sb/unotify: the seccomp user-notification backend of sb. A filter installed
 * with SECCOMP_FILTER_FLAG_NEW_LISTENER sends the sandbox's decision calls to a
 * listener fd; a supervisor thread receives them, reads their arguments once,
 * decides through a handler module, and answers: an errno, a value, "continue in
 * the kernel", or an fd it opened itself (race-free open emulation with ADDFD).
 */

export { type AccessRequest, accessForCaller } from './access.js';
export { type AttrCall, type AttrRequest, type AttrResult, attrForCaller } from './attr.js';
export * from './constants.js';
export {
  accessCreds,
  type Creds,
  CredsError,
  parseStatus,
  privateFs,
  readCreds,
  ThreadCreds,
} from './creds.js';
export { canSuperviseOnMainThread } from './event-loop.js';
export {
  type CreateNotifyHandler,
  type NotifyContext,
  type NotifyEnv,
  type NotifyHandler,
  type NotifyResponse,
  PreparedHandler,
} from './handler.js';
export { Listener, ListenerError, setNotifSizes } from './listener.js';
export { askListener, type ListenerIoctls, listenerMissing } from './listener-check.js';
export { CallMemory } from './memory.js';
export {
  controllingTty,
  type NativeOpenFlags,
  nativeOpenFlags,
  type OpenRequest,
  type OpenResult,
  openForCaller,
  type PathOp,
  pathOpForCaller,
} from './open.js';
export { dupCloexec, TakeFdError, takeFd, withTakenFd } from './pidfd.js';
export { type ProbeUnotifyOptions, probeUnotify, type UnotifyFeatures } from './probe.js';
export {
  LISTENER_FD_NAME,
  type ListenerSetupOptions,
  type ListenerSetupStep,
  listenerSetup,
} from './setup.js';
export {
  type CheckedObject,
  nativeStatSize,
  STATFS_SIZE,
  STATX_SIZE,
  type StatCall,
  type StatRequest,
  type StatResult,
  statForCaller,
} from './stat.js';
export { decodeNotification, encodeAddfd, encodeResponse, type Notification } from './structs.js';
export { type SuperviseOptions, type Supervisor, supervise } from './supervise.js';
export { runSupervisor, type SupervisorStats } from './supervisor.js';
export { prestartSupervisor, SupervisorThread } from './thread.js';
