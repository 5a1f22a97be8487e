import { describe, expect, it } from 'vitest';
import {
  FS,
  type LandlockRuleset,
  type LandlockStep,
  NET,
  O_CLOEXEC,
  O_DIRECTORY,
  O_PATH,
  pathBeneathAttr,
  rulesetAttr,
  rulesetSteps,
  SCOPE,
} from '../src/index.js';

const ruleset = (abi: number, extra: Partial<LandlockRuleset> = {}): LandlockRuleset => ({
  abi,
  handledFs: FS.WRITE_FILE | FS.MAKE_REG,
  handledNet: 0n,
  scoped: 0n,
  paths: [],
  ports: [],
  ...extra,
});

const syscalls = (s: readonly LandlockStep[]) => s.map((x) => (x.kind === 'syscall' ? x.name : x.kind));

describe('ruleset attribute', () => {
  it.each([
    [1, 8],
    [3, 8],
    [4, 16],
    [5, 16],
    [6, 24],
    [7, 24],
  ])('ABI %i: %i bytes', (abi, size) => {
    const b = rulesetAttr(ruleset(abi, { handledNet: NET.BIND_TCP, scoped: SCOPE.SIGNAL }));
    expect(b.length).toBe(size);
    const v = new DataView(b.buffer);
    expect(v.getBigUint64(0, true)).toBe(FS.WRITE_FILE | FS.MAKE_REG);
    if (size >= 16) expect(v.getBigUint64(8, true)).toBe(NET.BIND_TCP);
    if (size >= 24) expect(v.getBigUint64(16, true)).toBe(SCOPE.SIGNAL);
  });

  it('path_beneath is packed: 12 bytes, fd at 8', () => {
    const b = pathBeneathAttr(FS.READ_FILE, 7);
    expect(b.length).toBe(12);
    expect(new DataView(b.buffer).getInt32(8, true)).toBe(7);
  });
});

describe('rulesetSteps', () => {
  it('restricts nothing: no steps (an empty ruleset is ENOMSG)', () => {
    expect(rulesetSteps(ruleset(7, { handledFs: 0n }))).toEqual([]);
  });

  it('create, per path open/skip/add/close, ports, restrict, close', () => {
    const s = rulesetSteps(
      ruleset(7, {
        handledNet: NET.CONNECT_TCP,
        paths: [
          { path: '/tmp', access: FS.WRITE_FILE, kind: 'tree', sources: ['/tmp/***'] },
          { path: '/dev/null', access: FS.WRITE_FILE, kind: 'file', sources: ['/dev/null'] },
        ],
        ports: [{ port: 443, access: NET.CONNECT_TCP, sources: ['inet:0.0.0.0/0@443'] }],
      }),
    );
    expect(syscalls(s)).toEqual([
      'landlock_create_ruleset',
      'openat',
      'skip-unless-ok',
      'landlock_add_rule',
      'close',
      'openat',
      'skip-unless-ok',
      'landlock_add_rule',
      'close',
      'landlock_add_rule',
      'landlock_restrict_self',
      'close',
    ]);
    const [create, open1, skip1, add1, , open2] = s;
    expect(create).toMatchObject({
      save: 'landlock.ruleset',
      args: [{ bytes: expect.any(Uint8Array) }, 24n, 0n],
    });
    expect(open1).toMatchObject({
      args: [-100n, { str: '/tmp' }, BigInt(O_PATH | O_CLOEXEC | O_DIRECTORY)],
      save: 'landlock.fd.0',
      okErrnos: expect.arrayContaining([2, 20]),
    });
    // A file rule must not demand a directory.
    expect(open2).toMatchObject({ args: [-100n, { str: '/dev/null' }, BigInt(O_PATH | O_CLOEXEC)] });
    expect(skip1).toEqual({ kind: 'skip-unless-ok', result: 'landlock.fd.0', count: 2 });
    expect(add1).toMatchObject({
      args: [
        { result: 'landlock.ruleset' },
        1n,
        { patch: [{ offset: 8, size: 4, from: 'landlock.fd.0' }] },
        0n,
      ],
    });
    const names = new Set(s.flatMap((x) => (x.kind === 'syscall' && x.save ? [x.save] : [])));
    // Every result used was saved by an earlier step.
    for (const x of s) {
      if (x.kind === 'skip-unless-ok') expect(names.has(x.result)).toBe(true);
      else
        for (const a of x.args)
          if (typeof a === 'object' && 'result' in a) expect(names.has(a.result)).toBe(true);
    }
  });
});
