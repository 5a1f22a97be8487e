/**
 * @sb/unotify/runtime: what a notify handler module needs on the supervisor thread
 * (answers, the emulated open, the caller's credentials and memory), without the
 * owner-side parts (probes, filter setup, the Worker) and their dependencies.
 */

export { type AccessRequest, accessForCaller } from './access.js';
export {
  type AttrCall,
  type AttrRequest,
  type AttrResult,
  attrForCaller,
  kernelHasAttrCall,
} from './attr.js';
export { accessCreds, type Creds, CredsError, parseStatus, readCreds, ThreadCreds } from './creds.js';
export type { NotifyContext, NotifyEnv, NotifyHandler, NotifyResponse } from './handler.js';
export { CallMemory } from './memory.js';
export { pageSize } from './native.js';
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
export { bindForCaller, connectForCaller, type SocketRequest } from './socket.js';
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
export type { Notification } from './structs.js';
