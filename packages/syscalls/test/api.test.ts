/** The lookup API: names, aliases, errors, suggestions, groups, versions. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  arches,
  compareKernelVersions,
  expandGroup,
  findArch,
  getArch,
  groups,
  nativeArch,
  parseKernelVersion,
  resolveSyscall,
  suggest,
  syscallByName,
  syscallNames,
  syscalls,
  UnknownArchError,
  UnknownGroupError,
  UnknownSyscallError,
} from '../src/index.js';

const SEED = 0x5b5b;

describe('architectures', () => {
  it('has the canonical names the project relies on, and every ABI the kernel source covers', () => {
    const names = arches().map((a) => a.name);
    expect(names.slice(0, 6)).toEqual(['x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64']);
    for (const n of ['ppc', 'ppc64', 'ppc64le', 's390', 's390x', 'mips', 'mipsel', 'mips64', 'mipsel64']) {
      expect(names).toContain(n);
    }
    for (const n of ['mips64n32', 'mipsel64n32', 'parisc', 'parisc64', 'loongarch64', 'sparc', 'sparc64']) {
      expect(names).toContain(n);
    }
    for (const n of [
      'alpha',
      'm68k',
      'sh',
      'microblaze',
      'xtensa',
      'arc',
      'csky',
      'hexagon',
      'nios2',
      'openrisc',
    ]) {
      expect(names).toContain(n);
    }
  });

  it.each([
    ['amd64', 'x86_64'],
    ['x86-64', 'x86_64'],
    ['X86_64', 'x86_64'],
    ['x86', 'i386'],
    ['i686', 'i386'],
    ['arm64', 'aarch64'],
    ['armhf', 'arm'],
    ['armel', 'arm'],
    ['ppc64el', 'ppc64le'],
    ['powerpc64le', 'ppc64le'],
    ['mips64el', 'mipsel64'],
    ['mipsel64n32', 'mipsel64n32'],
    ['mips64eln32', 'mipsel64n32'],
    ['loong64', 'loongarch64'],
    ['hppa', 'parisc'],
    ['riscv', 'riscv64'],
  ])('alias %s -> %s', (alias, name) => {
    expect(getArch(alias).name).toBe(name);
    expect(findArch(alias)?.name).toBe(name);
  });

  it('every name and alias resolves to its own ABI, and none is shared', () => {
    const seen = new Map<string, string>();
    for (const a of arches()) {
      for (const n of [a.name, ...a.aliases]) {
        expect(getArch(n)).toBe(a);
        expect(seen.get(n.toLowerCase()), n).toBeUndefined();
        seen.set(n.toLowerCase(), a.name);
      }
    }
  });

  it('unknown architectures throw, naming the input and a close canonical name', () => {
    expect(() => getArch('aarch46')).toThrow(new UnknownArchError('aarch46', 'aarch64'));
    expect(() => getArch('x86-46')).toThrow("unknown architecture 'x86-46' (did you mean 'x86_64'?)");
    expect(() => getArch('vax')).toThrow("unknown architecture 'vax'");
    expect(findArch('vax')).toBeUndefined();
    expect(() => syscalls('vax')).toThrow(UnknownArchError);
  });

  it('the native ABI is what Node runs on', () => {
    const n = nativeArch();
    if (process.arch === 'x64') expect(n.name).toBe('x86_64');
    expect(n.bits).toBe(process.arch.includes('64') ? 64 : 32);
  });

  it('tables are frozen', () => {
    const s = syscalls('x86_64');
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s[0])).toBe(true);
    expect(Object.isFrozen(getArch('x86_64').multiplexers)).toBe(true);
  });
});

describe('syscalls', () => {
  it('every table is sorted by number with unique names and numbers', () => {
    for (const a of arches()) {
      const t = syscalls(a);
      expect(t.length, a.name).toBeGreaterThan(280);
      for (let i = 1; i < t.length; i++) expect(t[i]!.nr).toBeGreaterThan(t[i - 1]!.nr);
      expect(new Set(t.map((s) => s.name)).size).toBe(t.length);
      for (const s of t) {
        expect(s.arch).toBe(a.name);
        // Numbers carry the ABI's base and bit.
        expect(s.nr >= a.syscallBase).toBe(true);
        if (a.syscallBit) expect(s.nr & a.syscallBit).toBe(a.syscallBit);
      }
    }
  });

  it('resolves names and numbers both ways (property, seeded)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...arches()), fc.nat(), (a, i) => {
        const t = syscalls(a);
        const s = t[i % t.length]!;
        expect(resolveSyscall(a, s.name)).toBe(s);
        expect(resolveSyscall(a, s.nr)).toBe(s);
        expect(resolveSyscall(a.name, String(s.nr))).toBe(s);
        expect(resolveSyscall(a, `0x${s.nr.toString(16)}`)).toBe(s);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('unknown syscalls throw with the ABI, a suggestion, or where the name exists', () => {
    expect(() => resolveSyscall('x86_64', 'opneat')).toThrow(
      "unknown syscall 'opneat' on x86_64 (did you mean 'openat'?)",
    );
    const e = (() => {
      try {
        resolveSyscall('aarch64', 'open');
      } catch (err) {
        return err as UnknownSyscallError;
      }
    })();
    expect(e).toBeInstanceOf(UnknownSyscallError);
    expect(e?.availableOn).toContain('x86_64');
    expect(() => resolveSyscall('x86_64', 4242)).toThrow("unknown syscall '4242' on x86_64");
    expect(syscallByName('x86_64', 'nosuchcall')).toBeUndefined();
  });

  it('syscallNames is the sorted union over every ABI', () => {
    const names = syscallNames();
    expect(names).toEqual([...names].sort());
    for (const n of ['openat', 'socketcall', 'osf_stat', 'cacheflush', 'riscv_hwprobe', 'arch_prctl']) {
      expect(names).toContain(n);
    }
    const union = new Set(arches().flatMap((a) => syscalls(a).map((s) => s.name)));
    expect(names.length).toBe(union.size);
  });
});

describe('suggest', () => {
  it('finds close names and refuses far ones', () => {
    expect(suggest('opnat', ['openat', 'open', 'read'])).toBe('openat');
    expect(suggest('OPENAT', ['openat'])).toBe('openat');
    expect(suggest('xyzzy', ['openat', 'read'])).toBeUndefined();
    expect(suggest('openat', ['openat'])).toBeUndefined(); // exact: nothing to suggest
  });

  it('any single edit of a name suggests a name at distance <= 1 (property, seeded)', () => {
    const names = syscallNames().filter((n) => n.length >= 6);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.nat(), fc.constantFrom('a', 'z', '_'), (name, at, ch) => {
        const i = at % name.length;
        const typo = name.slice(0, i) + ch + name.slice(i + 1);
        fc.pre(typo !== name && !names.includes(typo));
        const s = suggest(typo, names);
        expect(s).toBeDefined();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('groups', () => {
  it('has systemd sets, documented', () => {
    const names = groups().map((g) => g.name);
    for (const n of [
      '@aio',
      '@basic-io',
      '@chown',
      '@clock',
      '@cpu-emulation',
      '@debug',
      '@file-system',
      '@io-event',
      '@ipc',
      '@keyring',
      '@memlock',
      '@module',
      '@mount',
      '@network-io',
      '@obsolete',
      '@pkey',
      '@privileged',
      '@process',
      '@raw-io',
      '@reboot',
      '@resources',
      '@sandbox',
      '@setuid',
      '@signal',
      '@swap',
      '@sync',
      '@system-service',
      '@timer',
      '@known',
      '@default',
    ]) {
      expect(names).toContain(n);
    }
    for (const g of groups()) expect(g.description.length, g.name).toBeGreaterThan(5);
  });

  it('expands nested groups into sorted names', () => {
    const fs = expandGroup('@file-system');
    expect(fs).toEqual([...fs].sort());
    expect(fs).toContain('openat');
    expect(fs).not.toContain('@file-system');
    const svc = expandGroup('system-service');
    for (const n of ['openat', 'read', 'connect', 'clone']) expect(svc).toContain(n); // via nested groups
    expect(expandGroup('@privileged')).toEqual(expect.arrayContaining(['chown', 'init_module', 'reboot']));
    expect(expandGroup('@sandbox')).toEqual([
      'landlock_add_rule',
      'landlock_create_ruleset',
      'landlock_restrict_self',
      'seccomp',
    ]);
  });

  it('syscalls know their groups', () => {
    expect(resolveSyscall('x86_64', 'openat').groups).toEqual(
      expect.arrayContaining(['@file-system', '@system-service']),
    );
    expect(resolveSyscall('x86_64', 'mount').groups).toContain('@mount');
  });

  it('unknown groups throw with a suggestion', () => {
    expect(() => expandGroup('@file-sytem')).toThrow(new UnknownGroupError('@file-sytem', '@file-system'));
    expect(() => expandGroup('@nothing-like-it')).toThrow(UnknownGroupError);
  });
});

describe('kernel versions', () => {
  it('parses and compares', () => {
    expect(parseKernelVersion('2.6.16')).toEqual([2, 6, 16]);
    expect(parseKernelVersion('5.6')).toEqual([5, 6, 0]);
    expect(parseKernelVersion('6.1.0-28-amd64')).toEqual([6, 1, 0]);
    expect(parseKernelVersion('v6.12-rc1')).toEqual([6, 12, 0]);
    expect(() => parseKernelVersion('linux')).toThrow(TypeError);
    expect(compareKernelVersions('2.6.16', '2.6.9')).toBeGreaterThan(0);
    expect(compareKernelVersions('5.6', '5.6.0')).toBe(0);
    expect(compareKernelVersions('3.17', '4.0')).toBeLessThan(0);
  });

  it('compare is a total order consistent with the parsed tuple (property, seeded)', () => {
    const v = fc.tuple(fc.nat(9), fc.nat(30), fc.nat(300)).map(([a, b, c]) => `${a}.${b}.${c}`);
    fc.assert(
      fc.property(v, v, v, (a, b, c) => {
        expect(Math.sign(compareKernelVersions(a, b))).toBe(-Math.sign(compareKernelVersions(b, a)));
        if (compareKernelVersions(a, b) <= 0 && compareKernelVersions(b, c) <= 0) {
          expect(compareKernelVersions(a, c)).toBeLessThanOrEqual(0);
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('every since is a version no older than its ABI', () => {
    for (const a of arches()) {
      for (const s of syscalls(a)) {
        if (s.since !== null)
          expect(compareKernelVersions(s.since, a.introduced), `${a.name} ${s.name}`).toBeGreaterThanOrEqual(
            0,
          );
      }
    }
  });
});
