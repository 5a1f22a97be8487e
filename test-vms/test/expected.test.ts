import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareFeatures, expectedFor, formatDifference, loadHistory } from '../src/expected.js';
import { MATRIX_VERSIONS } from '../src/kernels.js';

const dir = join(import.meta.dirname, '..', 'expected');
const history = loadHistory(join(dir, 'history.json'));

describe('expected files', () => {
  it.each(MATRIX_VERSIONS)('expected/%s.json is what history.json says (run `pnpm generate`)', (v) => {
    const committed = JSON.parse(readFileSync(join(dir, `${v}.json`), 'utf8'));
    expect(committed).toEqual(expectedFor(history, v));
  });

  it.each([
    // [version, user, feature, value]: spot checks against the man pages.
    ['3.5', 'root', 'ns.user', false],
    ['3.5', 'user', 'ns.pid', false],
    ['3.8', 'user', 'ns.pid', true],
    ['3.8', 'root', 'ptrace.exitKill', true],
    ['3.5', 'root', 'ptrace.exitKill', false],
    ['3.8', 'root', 'ptrace.seccompOrder', 'seccomp-first'],
    ['5.10', 'root', 'ptrace.seccompOrder', 'enter-first'],
    ['5.10', 'root', 'seccomp.flag.WAIT_KILLABLE_RECV', false],
    ['6.1', 'root', 'seccomp.flag.WAIT_KILLABLE_RECV', true],
    ['5.10', 'root', 'landlock.abi', 'ENOSYS'],
    ['6.1', 'root', 'landlock.abi', 2],
    ['6.12', 'root', 'landlock.abi', 6],
    ['4.14', 'root', 'seccomp.action.USER_NOTIF', false],
    ['4.13', 'root', 'seccomp.action.USER_NOTIF', null],
    ['6.12', 'user', 'ns.cgroup', null],
    ['6.12', 'root', 'ns.time', true],
  ] as const)('%s %s %s = %j', (version, user, feature, value) => {
    expect(expectedFor(history, version)[user][feature]).toBe(value);
  });
});

describe('comparison', () => {
  it('finds changed, missing and extra features, skipping the skipped', () => {
    const d = compareFeatures(
      { a: true, b: 1, c: 'x', skipped: true },
      { a: true, b: 2, d: null, skipped: false },
      new Set(['skipped']),
    );
    expect(d).toEqual([
      { feature: 'b', expected: 1, actual: 2 },
      { feature: 'c', expected: 'x', actual: undefined },
      { feature: 'd', expected: undefined, actual: null },
    ]);
    expect(d.map((x) => formatDifference(x, 'user'))).toEqual([
      'user: b: expected 1, got 2',
      'user: c: expected "x", got (missing)',
      'user: d: expected (missing), got null',
    ]);
  });

  it('null and false are different answers', () => {
    expect(compareFeatures({ a: null }, { a: false })).toHaveLength(1);
  });
});
