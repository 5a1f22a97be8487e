import { describe, expect, it } from 'vitest';
import { errorLine, flattenFeatures, type SbFeatures } from '../src/guest/sb.js';

const sample: SbFeatures = {
  seccomp: {
    filterMode: true,
    seccompSyscall: false,
    actions: { TRACE: null },
    flags: { TSYNC: false },
    notifSizes: null,
  },
  ptrace: { seize: true, seizeErrno: 0, seccompOrder: 'seccomp-first' },
  namespaces: { mount: { available: true }, time: { available: false } },
  landlock: { available: false, abi: null, errno: 'ENOSYS' },
  misc: { pidfd_open: { available: false }, 'seccomp user notification': { available: false } },
  backend: {
    backend: 'ptrace',
    reason: 'r',
    candidates: [
      { name: 'ptrace', usable: true, why: '' },
      { name: 'landlock', usable: false, why: 'ENOSYS' },
    ],
  },
};

describe('sb features --json as the flat feature map', () => {
  it('names every probed feature as history.json does', () => {
    expect(flattenFeatures(sample)).toEqual({
      'seccomp.filterMode': true,
      'seccomp.syscall': false,
      'seccomp.action.TRACE': null,
      'seccomp.flag.TSYNC': false,
      'seccomp.notifSizes': null,
      'ptrace.seize': true,
      'ptrace.seccompOrder': 'seccomp-first',
      'ns.mnt': true,
      'ns.time': false,
      'landlock.abi': 'ENOSYS',
      'syscall.pidfd_open': false,
      'seccomp.userNotif': false,
      'backend.auto': 'ptrace',
      'backend.ptrace': true,
      'backend.landlock': false,
      'backend.landlock.why': 'ENOSYS',
    });
  });

  it('a group the suite does not know shows up (and so fails the cell until history.json has it)', () => {
    const f = flattenFeatures({ ...sample, cgroups: { v2: true } } as SbFeatures);
    expect(f['cgroups.(unread)']).toBe('{"v2":true}');
  });

  it('errorLine picks the error, not the stack', () => {
    expect(errorLine('node:internal/x:1\n  code\n\nError: Cannot find module y\n    at z\n')).toBe(
      'Error: Cannot find module y',
    );
    expect(errorLine('sb: run: --unshare-user: user namespaces are not available\n')).toBe(
      'sb: run: --unshare-user: user namespaces are not available',
    );
  });
});
