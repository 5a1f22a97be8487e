/**
 * Which namespaces this user can create. Root: each CLONE_NEW* alone. Others: with
 * CLONE_NEWUSER, the only one an ordinary user may create, which grants the rest.
 *
 * clone(2) before clone3 ignores flag bits it does not know, so a CLONE_NEWCGROUP
 * (4.6) or CLONE_NEWTIME (5.6; clone(2) cannot even express it) probe through clone
 * would say yes on older kernels. Those two go through unshare(2), which rejects
 * unknown flags with EINVAL, called in a forked child (single-threaded, so
 * CLONE_NEWUSER is allowed there unprivileged; Node itself never gets it).
 */
import { cloneExit, cloneUnshare } from '../libc.js';

export const CLONE_NEWNS = 0x00020000;
export const CLONE_NEWCGROUP = 0x02000000;
export const CLONE_NEWUTS = 0x04000000;
export const CLONE_NEWIPC = 0x08000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
export const CLONE_NEWTIME = 0x00000080;

const VIA_CLONE = {
  mnt: CLONE_NEWNS,
  uts: CLONE_NEWUTS,
  ipc: CLONE_NEWIPC,
  pid: CLONE_NEWPID,
  net: CLONE_NEWNET,
};
const VIA_UNSHARE = { cgroup: CLONE_NEWCGROUP, time: CLONE_NEWTIME };

export function probeNamespaces(isRoot: boolean): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  const user = cloneExit(CLONE_NEWUSER) === 0;
  out['ns.user'] = user;
  for (const [name, flag] of Object.entries(VIA_CLONE)) {
    out[`ns.${name}`] = isRoot ? cloneExit(flag) === 0 : user && cloneExit(CLONE_NEWUSER | flag) === 0;
  }
  for (const [name, flag] of Object.entries(VIA_UNSHARE)) {
    out[`ns.${name}`] = isRoot ? cloneUnshare(flag) : user && cloneUnshare(CLONE_NEWUSER | flag);
  }
  return out;
}
