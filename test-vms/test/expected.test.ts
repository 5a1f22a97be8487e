import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compareFeatures,
  crossCheck,
  expandExpected,
  expectedFor,
  formatDifference,
  informational,
  judgeResult,
  loadHistory,
} from '../src/expected.js';
import { MATRIX_VERSIONS } from '../src/kernels.js';
import type { GuestResult } from '../src/types.js';

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
    ['6.12', 'user', 'ns.cgroup', true],
    ['3.8', 'user', 'ns.cgroup', false],
    ['4.6', 'user', 'ns.cgroup', true],
    ['3.5', 'root', 'backend.ptrace', true],
    ['5.10', 'root', 'backend.unotify', true],
    ['5.10', 'root', 'backend.landlock', false],
    ['3.5', 'user', 'enforce.unshare-net', 'refused'],
    ['3.5', 'root', 'enforce.unshare-net', 'isolated'],
    ['3.5', 'root', 'enforce.unshare-user', 'refused'],
    ['3.8', 'user', 'enforce.unshare-pid', 'isolated'],
    ['5.10', 'user', 'enforce.unshare-time', 'isolated'],
    ['3.5', 'user', 'enforce.supervisorDeath', 'dies'],
    ['6.1', 'root', 'enforce.landlock.write', 'refused'],
    ['6.12', 'root', 'enforce.landlock.write', 'denied'],
    ['3.5', 'root', 'enforce.unshare-pid', 'refused'],
    ['3.8', 'root', 'enforce.unshare-pid', 'isolated'],
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

describe('enforcement expectations', () => {
  const expected = {
    'backend.ptrace': true,
    'backend.unotify': false,
    'enforce.write': 'denied',
    'enforce.unshare-net': 'isolated',
    'enforce.unshare-time': 'refused',
  };

  it('expands per backend that ran or should run, and only for the options sb has', () => {
    const want = expandExpected(expected, {
      'enforce.backends': 'landlock',
      'enforce.unshareOptions': 'net',
    });
    expect(want).toEqual({
      'backend.ptrace': true,
      'backend.unotify': false,
      'enforce.landlock.write': 'denied',
      'enforce.landlock.unshare-net': 'isolated',
      // backend.ptrace is expected usable: its checks are due although it did not run
      // (namespace options: with the first backend only).
      'enforce.ptrace.write': 'denied',
    });
  });

  it("a backend's own entry overrides the template, only where that backend runs", () => {
    const e = { ...expected, 'enforce.landlock.write': 'refused' };
    expect(expandExpected(e, { 'enforce.backends': 'ptrace,landlock' })).toMatchObject({
      'enforce.ptrace.write': 'denied',
      'enforce.landlock.write': 'refused',
    });
    expect(expandExpected(e, { 'enforce.backends': 'ptrace' })).not.toHaveProperty('enforce.landlock.write');
  });

  it('a backend that should be usable but did not run fails the judgement', () => {
    const result: GuestResult = {
      label: 'root',
      uid: 0,
      node: 'v20',
      features: {
        'backend.ptrace': true,
        'backend.unotify': false,
        'backend.new': true,
        'enforce.backends': null,
        'enforce.unshareOptions': null,
      },
      probes: {},
      errors: [],
      ms: 0,
    };
    expect(judgeResult(expected, result, 'root').problems).toEqual([
      'root: enforce.ptrace.write: expected "denied", got (missing)',
    ]);
  });

  it('backends history does not know, the option lists and report counts are informational', () => {
    expect(informational('backend.new', {})).toBe(true);
    expect(informational('backend.ptrace', { 'backend.ptrace': true })).toBe(false);
    expect(informational('enforce.backends', {})).toBe(true);
    expect(informational('enforce.ptrace.reported', {})).toBe(true);
    expect(informational('enforce.ptrace.write', {})).toBe(false);
  });

  it('cross-check: every feature both report must agree; probe errors and features only one has are not compared', () => {
    expect(crossCheck({ a: true, b: 1, c: 'x' }, { a: true, b: 2, d: false, 'x.error': 'boom' })).toEqual([
      "b: sb features says 1, the suite's probe 2",
    ]);
  });

  it('cross-check disagreements and probe errors are problems', () => {
    const result: GuestResult = {
      label: 'user',
      uid: 65534,
      node: 'v20',
      features: { 'ns.cgroup': true },
      probes: { 'ns.cgroup': false },
      errors: ['ns: Error: boom\n  at x'],
      ms: 0,
    };
    expect(judgeResult({ 'ns.cgroup': true }, result, 'user').problems).toEqual([
      "user: cross-check: ns.cgroup: sb features says true, the suite's probe false",
      'user: probe error: ns: Error: boom',
    ]);
  });
});
