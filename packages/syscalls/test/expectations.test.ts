/** Table-driven expectations (libseccomp style: arch, syscall -> expected), checked against known values. */
import { describe, expect, it } from 'vitest';
import {
  archByAudit,
  errnoName,
  errnoNumber,
  getArch,
  resolveSyscall,
  signalName,
  signalNumber,
  syscallByName,
  syscallByNumber,
} from '../src/index.js';

const NUMBERS: [arch: string, name: string, nr: number][] = [
  ['x86_64', 'openat', 257],
  ['aarch64', 'openat', 56],
  ['i386', 'openat', 295],
  ['x32', 'openat', 0x40000101],
  ['riscv64', 'openat', 56],
  ['arm', 'openat', 322],
  ['loongarch64', 'openat', 56],
  ['ppc64le', 'openat', 286],
  ['s390x', 'openat', 288],
  ['s390', 'openat', 288],
  ['mips', 'openat', 4288],
  ['mipsel64', 'openat', 5247],
  ['mips64n32', 'openat', 6251],
  ['parisc', 'openat', 275],
  ['sparc64', 'openat', 284],
  ['alpha', 'openat', 450],
  ['m68k', 'openat', 288],
  ['sh', 'openat', 295],
  ['x86_64', 'execve', 59],
  ['i386', 'execve', 11],
  ['x32', 'execve', 0x40000208],
  ['aarch64', 'execve', 221],
  ['arm', 'execve', 11],
  ['x86_64', 'seccomp', 317],
  ['i386', 'seccomp', 354],
  ['aarch64', 'seccomp', 277],
  ['arm', 'seccomp', 383],
  ['x86_64', 'read', 0],
  ['i386', 'restart_syscall', 0],
  ['i386', 'socketcall', 102],
  ['i386', 'socket', 359],
  ['s390x', 'socketcall', 102],
  ['x86_64', 'clone3', 435],
  ['aarch64', 'clone3', 435],
  ['x86_64', 'openat2', 437],
  ['x86_64', 'landlock_create_ruleset', 444],
  ['arm', 'cacheflush', 0x0f0002],
  ['arm', 'set_tls', 0x0f0005],
];

describe('numbers', () => {
  it.each(NUMBERS)('%s %s = %i', (arch, name, nr) => {
    expect(resolveSyscall(arch, name).nr).toBe(nr);
    expect(syscallByNumber(arch, nr)?.name).toBe(name);
  });

  it.each([
    ['x86_64', 'socketcall'],
    ['x86_64', 'ipc'],
    ['aarch64', 'open'],
    ['aarch64', 'fork'],
    ['riscv64', 'renameat'],
    ['arm', 'socketcall'], // EABI has only the direct calls; socketcall is OABI-only
    ['x32', 'uselib'],
  ])('%s has no %s', (arch, name) => {
    expect(syscallByName(arch, name)).toBeUndefined();
  });

  it('marks reserved numbers as not implemented', () => {
    expect(syscallByName('x86_64', 'afs_syscall')?.implemented).toBe(false);
    expect(syscallByName('x86_64', 'tuxcall')?.implemented).toBe(false);
    expect(syscallByName('x86_64', 'openat')?.implemented).toBe(true);
  });
});

describe('architectures', () => {
  it.each([
    ['x86_64', 0xc000003e, 64, 'little'],
    ['i386', 0x40000003, 32, 'little'],
    ['x32', 0xc000003e, 32, 'little'],
    ['aarch64', 0xc00000b7, 64, 'little'],
    ['arm', 0x40000028, 32, 'little'],
    ['riscv64', 0xc00000f3, 64, 'little'],
    ['mips', 0x00000008, 32, 'big'],
    ['mipsel', 0x40000008, 32, 'little'],
    ['mips64', 0x80000008, 64, 'big'],
    ['mips64n32', 0xa0000008, 32, 'big'],
    ['mipsel64n32', 0xe0000008, 32, 'little'],
    ['ppc', 0x00000014, 32, 'big'],
    ['ppc64', 0x80000015, 64, 'big'],
    ['ppc64le', 0xc0000015, 64, 'little'],
    ['s390', 0x00000016, 32, 'big'],
    ['s390x', 0x80000016, 64, 'big'],
    ['loongarch64', 0xc0000102, 64, 'little'],
  ] as const)('%s: AUDIT_ARCH %i, %i-bit %s endian', (name, audit, bits, endian) => {
    const a = getArch(name);
    expect([a.auditArch, a.bits, a.endian]).toEqual([audit, bits, endian]);
    expect(archByAudit(audit).map((x) => x.name)).toContain(name);
  });

  it('x32 has the syscall bit, mips ABIs their bases', () => {
    expect(getArch('x32').syscallBit).toBe(0x40000000);
    expect(getArch('x86_64').syscallBit).toBe(0);
    expect([
      getArch('mips').syscallBase,
      getArch('mips64').syscallBase,
      getArch('mips64n32').syscallBase,
    ]).toEqual([4000, 5000, 6000]);
  });

  it('x86_64 and x32 share AUDIT_ARCH_X86_64; nothing else shares', () => {
    expect(archByAudit(0xc000003e).map((a) => a.name)).toEqual(['x86_64', 'x32']);
    expect(archByAudit(0x12345)).toEqual([]);
  });

  it('multiplexers and their sub-calls', () => {
    const i386 = getArch('i386').multiplexers;
    expect(i386.socketcall?.nr).toBe(102);
    expect(i386.socketcall?.calls).toMatchObject({
      socket: 1,
      bind: 2,
      connect: 3,
      accept4: 18,
      sendmmsg: 20,
    });
    expect(i386.ipc?.nr).toBe(117);
    expect(i386.ipc?.calls).toMatchObject({ semop: 1, semtimedop: 4, msgsnd: 11, shmat: 21, shmctl: 24 });
    expect(getArch('s390x').multiplexers.socketcall?.nr).toBe(102);
    expect(getArch('mips').multiplexers.socketcall?.nr).toBe(4102);
    expect(getArch('x86_64').multiplexers).toEqual({});
    expect(getArch('aarch64').multiplexers).toEqual({});
    expect(getArch('arm').multiplexers).toEqual({});
  });
});

describe('errno and signals differ per architecture', () => {
  it.each([
    ['x86_64', 'EAGAIN', 11],
    ['mips', 'EAGAIN', 11],
    ['alpha', 'EAGAIN', 35],
    ['x86_64', 'EDEADLK', 35],
    ['mips', 'EDEADLK', 45],
    ['parisc', 'EDEADLK', 45],
    ['alpha', 'EDEADLK', 11],
    ['sparc', 'EDEADLK', 78],
    ['x86_64', 'ENOSYS', 38],
    ['mips', 'ENOSYS', 89],
    ['parisc', 'ENOSYS', 251],
    ['sparc', 'ENOSYS', 90],
    ['mips', 'EDQUOT', 1133],
    ['x86_64', 'EWOULDBLOCK', 11],
    ['ppc', 'EDEADLOCK', 58],
  ])('%s %s = %i', (arch, name, n) => {
    expect(errnoNumber(arch, name)).toBe(n);
  });

  it('errno names: primary spelling for a number, undefined for unknown', () => {
    expect(errnoName('x86_64', 11)).toBe('EAGAIN');
    expect(errnoName('x86_64', 35)).toBe('EDEADLK');
    expect(errnoName('mips', 45)).toBe('EDEADLK');
    expect(errnoName('x86_64', 100000)).toBeUndefined();
    expect(errnoNumber('x86_64', 'ENOTANERRNO')).toBeUndefined();
  });

  it.each([
    ['x86_64', 'SIGUSR1', 10],
    ['mips', 'SIGUSR1', 16],
    ['parisc', 'SIGUSR1', 16],
    ['alpha', 'SIGUSR1', 30],
    ['sparc', 'SIGUSR1', 30],
    ['x86_64', 'SIGCHLD', 17],
    ['mips', 'SIGCHLD', 18],
    ['alpha', 'SIGCHLD', 20],
    ['x86_64', 'SIGSYS', 31],
    ['mips', 'SIGSYS', 12],
    ['x86_64', 'SIGRTMIN', 32],
    ['x86_64', 'SIGRTMAX', 64],
    ['mips', 'SIGRTMAX', 128],
    ['s390x', 'SIGRTMAX', 64],
  ])('%s %s = %i', (arch, name, n) => {
    expect(signalNumber(arch, name)).toBe(n);
  });

  it('signal names and aliases', () => {
    expect(signalName('x86_64', 6)).toBe('SIGABRT'); // not SIGIOT
    expect(signalNumber('x86_64', 'SIGIOT')).toBe(6);
    expect(signalNumber('x86_64', 'usr1')).toBe(10);
    expect(signalName('mips', 16)).toBe('SIGUSR1');
    expect(signalName('x86_64', 16)).toBe('SIGSTKFLT');
  });
});

describe('kernel versions', () => {
  it.each([
    ['x86_64', 'openat', '2.6.16'],
    ['x86_64', 'seccomp', '3.17'],
    ['x86_64', 'openat2', '5.6'],
    ['x86_64', 'pidfd_getfd', '5.6'],
    ['x86_64', 'clone3', '5.3'],
    ['x86_64', 'landlock_create_ruleset', '5.13'],
    ['x86_64', 'fchmodat2', '6.6'],
    ['x86_64', 'mseal', '6.10'],
    ['x86_64', 'statx', '4.11'],
    ['i386', 'read', '1.0'],
    ['i386', 'socket', '4.3'], // before 4.3 only through socketcall
    ['i386', 'socketcall', '1.0'],
    ['i386', 'semget', '5.1'],
    ['x32', 'openat', '3.4'],
    ['aarch64', 'openat', '3.7'],
    ['aarch64', 'openat2', '5.6'],
    ['riscv64', 'openat', '4.15'],
    ['loongarch64', 'openat', '5.19'],
    ['ppc', 'socket', '2.6.37'],
    ['arm', 'clock_gettime64', '5.1'],
  ])('%s %s since %s', (arch, name, since) => {
    expect(resolveSyscall(arch, name).since).toBe(since);
  });
});
