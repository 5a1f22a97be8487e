import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ABI_VERSIONS,
  abiOf,
  FS,
  interpretProbe,
  KNOWN_ABI,
  NET,
  probeLandlock,
  rightsFor,
  SCOPE,
} from '../src/index.js';

/** The LSM list, from securityfs (mounted for the check when it is not). */
function lsmList(): string | null {
  for (const dir of ['/sys/kernel/security']) {
    if (existsSync(`${dir}/lsm`)) return readFileSync(`${dir}/lsm`, 'utf8');
  }
  if (process.geteuid?.() !== 0) return null;
  const dir = '/tmp/sb-landlock-securityfs';
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'securityfs', 'securityfs', dir]);
    try {
      return readFileSync(`${dir}/lsm`, 'utf8');
    } finally {
      execFileSync('umount', [dir]);
    }
  } catch {
    return null;
  }
}

describe('probe', () => {
  it('agrees with the kernel LSM list', () => {
    const p = probeLandlock();
    const lsm = lsmList();
    if (lsm !== null) expect(p.available).toBe(lsm.split(',').includes('landlock'));
    if (p.available) {
      expect(p.abi).toBeGreaterThanOrEqual(1);
      expect(p.detail).toBe(`Landlock ABI ${p.abi}`);
    } else expect(p.errno).toMatch(/ENOSYS|EOPNOTSUPP/);
  });

  it.each([
    [7, 0, { available: true, abi: 7 }],
    [-1, 38, { available: false, abi: null, errno: 'ENOSYS' }],
    [-1, 95, { available: false, abi: null, errno: 'EOPNOTSUPP' }],
    [-1, 1, { available: false, abi: null, errno: 'EPERM' }],
  ])('result %i errno %i', (r, e, want) => {
    expect(interpretProbe(r, e)).toMatchObject(want);
  });
});

describe('ABI table', () => {
  it.each([
    [1, FS.MAKE_SYM, 0n, 0n],
    [2, FS.REFER, 0n, 0n],
    [3, FS.TRUNCATE, 0n, 0n],
    [4, FS.TRUNCATE, NET.BIND_TCP | NET.CONNECT_TCP, 0n],
    [5, FS.IOCTL_DEV, NET.BIND_TCP | NET.CONNECT_TCP, 0n],
    [6, FS.IOCTL_DEV, NET.BIND_TCP | NET.CONNECT_TCP, SCOPE.ABSTRACT_UNIX_SOCKET | SCOPE.SIGNAL],
  ])('ABI %i', (abi, highest, net, scope) => {
    const r = rightsFor(abi);
    // Each ABI's fs rights are the bits 0..highest, contiguous.
    expect(r.fs).toBe(highest * 2n - 1n);
    expect(r.net).toBe(net);
    expect(r.scope).toBe(scope);
  });

  it('first versions and kernels', () => {
    expect(abiOf('TRUNCATE')).toBe(3);
    expect(abiOf('IOCTL_DEV')).toBe(5);
    expect(abiOf('CONNECT_TCP')).toBe(4);
    expect(abiOf('SIGNAL')).toBe(6);
    expect(ABI_VERSIONS.map((v) => v.abi)).toEqual(Array.from({ length: KNOWN_ABI }, (_, i) => i + 1));
    expect(ABI_VERSIONS.slice(0, 7).map((v) => v.kernel)).toEqual([
      '5.13',
      '5.19',
      '6.2',
      '6.7',
      '6.10',
      '6.12',
      '6.15',
    ]);
  });

  it('a kernel that reports an ABI creates a ruleset with exactly its rights', async () => {
    const p = probeLandlock();
    if (!p.available) return expect(p.available).toBe(false);
    const { runUnder } = await import('./helpers.js');
    const { rulesetSteps } = await import('../src/index.js');
    const abi = Math.min(p.abi!, KNOWN_ABI);
    const r = rightsFor(abi);
    const ruleset = { abi, handledFs: r.fs, handledNet: r.net, scoped: r.scope, paths: [], ports: [] };
    // Every right of the ABI is accepted...
    expect(runUnder(rulesetSteps(ruleset).slice(0, 1), ['true']).status).toBe(0);
    // ...and one more bit is not (EINVAL): the table matches the kernel.
    const more = { ...ruleset, handledFs: r.fs | (r.fs + 1n) };
    const bad = runUnder(rulesetSteps(more).slice(0, 1), ['true']);
    if (abi === p.abi) {
      expect(bad.status).toBe(111);
      expect(bad.stderr).toMatch(/errno 22/);
    }
  });
});
