/**
 * sydbox-1's published realpath cases (tests/t0002-realpath.sh: modes exist, nolast, nofollow),
 * transcribed as a table and run against a real tree with this process as the tracee.
 * sydbox-1's realpath_mode() refused relative paths (EINVAL); ours resolves them against the
 * tracee's cwd, as the kernel does, so that one case is not carried over.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AT_FDCWD, PathResolver } from '../src/resolve.js';

let T: string;
beforeAll(() => {
  T = mkdtempSync(join(tmpdir(), 'sb-policy-realpath-'));
  symlinkSync('self', `${T}/self`);
  symlinkSync('loop0', `${T}/loop1`);
  symlinkSync('loop1', `${T}/loop0`);
  writeFileSync(`${T}/f`, '');
  symlinkSync('f', `${T}/lf`);
  mkdirSync(`${T}/d`);
  symlinkSync('d', `${T}/l0`);
  symlinkSync('l0', `${T}/l1`);
  symlinkSync('l1', `${T}/l2`);
  symlinkSync('no-f', `${T}/ldangling`);
  symlinkSync('no-d', `${T}/lnodir`);
  writeFileSync(`${T}/d/file0`, '');
  symlinkSync('../l0/file0', `${T}/d/l3`);
  symlinkSync('//.//../..', `${T}/lroot`);
  mkdirSync(`${T}/d0`);
  mkdirSync(`${T}/d1`);
  symlinkSync('../d0', `${T}/d1/l`);
});
afterAll(() => rmSync(T, { recursive: true, force: true }));

type Mode = 'exist' | 'nolast' | 'nofollow' | 'nolast+nofollow';
// [description, mode, path ({T} = the test directory), expected path or errno]
const CASES: [string, Mode, string, string][] = [
  ['empty path -> ENOENT', 'exist', '', 'ENOENT'],
  ['., .., intermediate //', 'exist', '{T}//./..//{B}/f', '{T}/f'],
  ['non-directory with trailing slash', 'exist', '{T}/f/', 'ENOTDIR'],
  ['missing directory then ..', 'exist', '{T}/no-d/..', 'ENOENT'],
  ['symlinks not resolved with nofollow', 'nofollow', '{T}/lf', '{T}/lf'],
  ['symlink to a file', 'exist', '{T}/lf', '{T}/f'],
  ['symlink to a directory', 'exist', '{T}/l0', '{T}/d'],
  ['symlink chain to a directory (2)', 'exist', '{T}/l1', '{T}/d'],
  ['symlink chain to a directory (3)', 'exist', '{T}/l2', '{T}/d'],
  ['symlink to a missing file', 'exist', '{T}/ldangling', 'ENOENT'],
  ['non-directory symlink with trailing slash', 'exist', '{T}/lf/', 'ENOTDIR'],
  ['missing directory via symlink then ..', 'exist', '{T}/lnodir/..', 'ENOENT'],
  ['loop of symlinks', 'exist', '{T}/loop1', 'ELOOP'],
  ['loop, then a component', 'exist', '{T}/loop0/foo', 'ELOOP'],
  ['loop, lstat', 'nofollow', '{T}/loop0', '{T}/loop0'],
  ['loop, lstat of a component below', 'nofollow', '{T}/loop0/foo', 'ELOOP'],
  ['self-symlink', 'exist', '{T}/self', 'ELOOP'],
  ['nolast: missing basename', 'nolast', '{T}/no-f', '{T}/no-f'],
  ['nolast: missing basename with trailing slash', 'nolast', '{T}/no-f/', '{T}/no-f'],
  ['nolast: dangling symlink resolves to its target name', 'nolast', '{T}/ldangling', '{T}/no-f'],
  ['nolast: dangling symlink with trailing slash', 'nolast', '{T}/ldangling/', '{T}/no-f'],
  ['nolast: missing dirname', 'nolast', '{T}/no-d/nofile', 'ENOENT'],
  ['possible loop bug (l1 -> l0 -> d, d/l3 -> ../l0/file0)', 'exist', '{T}/l1/l3', '{T}/d/file0'],
  ['leading // is /', 'exist', '//.', '/'],
  ['symlink to //.//../..', 'exist', '{T}/lroot', '/'],
  [
    'missing file under a directory symlink (nolast+nofollow)',
    'nolast+nofollow',
    '{T}/d1/l/no-f',
    '{T}/d0/no-f',
  ],
];

describe('sydbox-1 realpath cases', () => {
  const resolver = new PathResolver();
  it.each(CASES)('%s (%s %s)', (_d, mode, path, expected) => {
    const base = T.slice(T.lastIndexOf('/') + 1);
    const r = resolver.resolve({
      pid: process.pid,
      dirfd: AT_FDCWD,
      path: Buffer.from(path.replaceAll('{T}', T).replaceAll('{B}', base)),
      followLast: !mode.includes('nofollow'),
      lastMayBeMissing: mode.includes('nolast'),
    });
    const got = r.ok ? Buffer.from(r.path).toString() : r.errno;
    expect(got).toBe(expected.replaceAll('{T}', T));
  });
});
