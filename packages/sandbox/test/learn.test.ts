import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainViolation, generalisePaths, policyFromAccesses, type Violation } from '../src/index.js';

describe('generalisePaths', () => {
  it.each([
    [
      ['/usr/lib/a.so', '/usr/lib/b.so'],
      ['/usr/lib/a.so', '/usr/lib/b.so'],
    ],
    [['/usr/lib/a.so', '/usr/lib/b.so', '/usr/lib/c.so'], ['/usr/lib/***']],
    [
      ['/usr/a', '/usr/b', '/usr/c'],
      ['/usr/a', '/usr/b', '/usr/c'],
    ], // never /usr/***
    [
      ['/tmp/cc1.s', '/var/tmp/x'],
      ['/tmp/***', '/var/tmp/***'],
    ],
    [['/proc/123/status', '/proc/self/fd/3'], ['/proc/self/fd/3']],
    [
      [
        '/src/p/a/1',
        '/src/p/a/2',
        '/src/p/a/3',
        '/src/p/b/1',
        '/src/p/b/2',
        '/src/p/b/3',
        '/src/p/c/1',
        '/src/p/c/2',
        '/src/p/c/3',
      ],
      ['/src/p/***'],
    ],
    [['/src/p', '/src/p/x', '/src/p/y', '/src/p/z'], ['/src/p/***']],
  ])('%j -> %j', (paths, want) => {
    expect(generalisePaths(paths)).toEqual(want);
  });

  it('always covers every input path (seeded property test)', () => {
    const seg = fc.constantFrom('a', 'b', 'c', 'd', 'lib', 'x.so');
    const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => `/${s.join('/')}`);
    fc.assert(
      fc.property(fc.array(path, { maxLength: 30 }), (paths) => {
        const out = generalisePaths(paths);
        for (const p of paths) {
          expect(
            out.some(
              (o) =>
                o === p || (o.endsWith('/***') && (p === o.slice(0, -4) || p.startsWith(o.slice(0, -3)))),
            ),
          ).toBe(true);
        }
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('writes quoted rules with wildcards escaped', () => {
    const text = policyFromAccesses([
      { category: 'write', subject: '/src/a[1]*' },
      { category: 'net/connect', subject: 'inet:127.0.0.1@80' },
      { category: 'net/connect', subject: 'unix-unnamed' },
      { category: 'stat', subject: '/etc' },
    ]);
    expect(text).toContain('  - "allow write /src/a\\\\[1]\\\\*"');
    expect(text).toContain('  - "allow net/connect inet:127.0.0.1@80"');
    expect(text).not.toContain('unix-unnamed');
    expect(text).not.toContain('stat');
  });
});

const base: Violation = {
  time: '',
  pid: 1,
  tid: 1,
  cwd: '/',
  abi: 'x86_64',
  syscall: 'openat',
  category: 'write',
  subject: '/etc/x',
  decision: 'deny',
  errno: 'EACCES',
  reason: 'default',
  rule: null,
  mode: 'deny',
};

describe('explainViolation', () => {
  it.each([
    [base, /default of the write category/, /allow write \/etc\/x/],
    [
      {
        ...base,
        reason: 'rule',
        rule: { action: 'deny', category: 'write', pattern: '/etc/***', file: 'p.yaml', line: 3 },
      },
      /rule 'deny write \/etc\/\*\*\*' at p\.yaml:3/,
      /after that rule \(p\.yaml:3\)/,
    ],
    [
      { ...base, category: 'net/connect', subject: 'inet:1.2.3.4@80' },
      /net\/connect/,
      /allowlist\/network\/connect\+inet:1\.2\.3\.4@80/,
    ],
    [
      { ...base, reason: 'kill-if-match', decision: 'kill' as const, category: 'exec' },
      /kill_if_match/,
      /exec\/kill_if_match-/,
    ],
    [{ ...base, reason: 'failure', errno: 'EFAULT' }, /could not be checked/, /always denied/],
  ])('%#', (v, decided, fix) => {
    const e = explainViolation(v as Violation);
    expect(e.decidedBy).toMatch(decided);
    expect(e.fix.join('\n')).toMatch(fix);
  });
});
