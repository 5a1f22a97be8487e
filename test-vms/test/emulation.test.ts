import { emulate, formatAction } from '@sb/bpf';
import { getArch, syscallByName } from '@sb/syscalls';
import { describe, expect, it } from 'vitest';
import { emulationFilter } from '../src/emulation.js';

const x86_64 = getArch('x86_64');
const i386 = getArch('i386');
const nr = (name: string) => {
  const s = syscallByName('x86_64', name);
  if (s === undefined) throw new Error(name);
  return s.nr;
};
const filters = new Map(['3.5', '3.8', '4.14', '5.0'].map((v) => [v, emulationFilter(v).program]));

function decide(
  version: string,
  syscall: string,
  args: readonly number[] = [],
  arch = x86_64.auditArch,
): string {
  return formatAction(
    emulate(filters.get(version)!, { nr: nr(syscall), arch, args: args.map(BigInt) }).action,
  );
}

const CLONE_NEWUSER = 0x10000000;
const CLONE_NEWPID = 0x20000000;
const CLONE_NEWCGROUP = 0x02000000;
const PTRACE_O_EXITKILL = 1 << 20;
const PTRACE_O_TRACESECCOMP = 1 << 7;

describe('emulation filter decisions (run in @sb/bpf emulator)', () => {
  it.each([
    // [personality, syscall, args, expected action] — from the kernel history in emulation-data.ts.
    ['3.5', 'read', [], 'ALLOW'],
    ['3.5', 'kcmp', [], 'ALLOW'], // 3.5
    ['3.5', 'finit_module', [], 'ERRNO(38)'], // 3.8
    ['3.8', 'finit_module', [], 'ALLOW'],
    ['3.8', 'seccomp', [1, 0, 0], 'ERRNO(38)'], // 3.17
    ['3.8', 'getrandom', [], 'ERRNO(38)'],
    ['3.8', 'clone3', [], 'ERRNO(38)'],
    ['3.8', 'pidfd_open', [], 'ERRNO(38)'],
    ['3.8', 'landlock_create_ruleset', [0, 0, 1], 'ERRNO(38)'],
    ['3.8', 'process_vm_readv', [], 'ALLOW'], // 3.2
    ['3.5', 'ptrace', [0x4200, 1, 0, PTRACE_O_TRACESECCOMP], 'ALLOW'],
    ['3.5', 'ptrace', [0x4200, 1, 0, PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL], 'ERRNO(22)'],
    ['3.5', 'ptrace', [0x4206, 1, 0, PTRACE_O_EXITKILL], 'ERRNO(22)'],
    ['3.8', 'ptrace', [0x4200, 1, 0, PTRACE_O_EXITKILL], 'ALLOW'],
    ['3.8', 'ptrace', [0x4200, 1, 0, 1 << 21], 'ERRNO(22)'], // SUSPEND_SECCOMP, 4.3
    ['3.8', 'ptrace', [0x420e], 'ERRNO(5)'], // GET_SYSCALL_INFO
    ['3.8', 'ptrace', [0x4206, 1, 0, 0], 'ALLOW'], // SEIZE, 3.4
    ['3.8', 'ptrace', [0x4209], 'ERRNO(5)'], // PEEKSIGINFO, 3.10
    ['3.5', 'prctl', [38, 1], 'ALLOW'], // NO_NEW_PRIVS
    ['3.5', 'prctl', [22, 2], 'ALLOW'], // PR_SET_SECCOMP
    ['3.8', 'prctl', [47], 'ERRNO(22)'], // CAP_AMBIENT, 4.3
    ['3.5', 'clone', [CLONE_NEWUSER], 'ERRNO(22)'],
    ['3.5', 'clone', [CLONE_NEWPID], 'ALLOW'],
    ['3.8', 'clone', [CLONE_NEWUSER | CLONE_NEWPID], 'ALLOW'],
    ['3.5', 'unshare', [CLONE_NEWPID], 'ERRNO(22)'],
    ['3.8', 'unshare', [CLONE_NEWPID], 'ALLOW'],
    ['3.8', 'unshare', [CLONE_NEWCGROUP], 'ERRNO(22)'],
    ['3.8', 'unshare', [0x80], 'ERRNO(22)'], // CLONE_NEWTIME
    ['4.14', 'seccomp', [2, 0, 0], 'ALLOW'], // GET_ACTION_AVAIL
    ['4.14', 'seccomp', [3, 0, 0], 'ERRNO(22)'], // GET_NOTIF_SIZES, 5.0
    ['4.14', 'seccomp', [1, 2, 0], 'ALLOW'], // FLAG_LOG
    ['4.14', 'seccomp', [1, 8, 0], 'ERRNO(22)'], // NEW_LISTENER
    ['5.0', 'seccomp', [1, 8, 0], 'ALLOW'],
    ['5.0', 'seccomp', [1, 16, 0], 'ERRNO(22)'], // TSYNC_ESRCH, 5.7
  ] as const)('%s: %s(%j) -> %s', (version, syscall, args, action) => {
    expect(decide(version, syscall, args)).toBe(action);
  });

  it('leaves other ABIs alone (documented limit)', () => {
    expect(formatAction(emulate(filters.get('3.5')!, { nr: 355, arch: i386.auditArch }).action)).toBe(
      'ALLOW',
    );
  });

  it('lists what it removes and what it cannot date', () => {
    const f = emulationFilter('3.5');
    expect(f.missing).toContain('seccomp');
    expect(f.missing).not.toContain('read');
    expect(f.bytes.length).toBe(f.program.length * 8);
  });
});
