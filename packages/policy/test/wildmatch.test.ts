import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePathPattern } from '../src/pattern.js';
import { hasWildcard, wildmatch } from '../src/wildmatch.js';
import { WILDTEST_CASES } from './wildtest-cases.js';

const b = (s: string) => Buffer.from(s, 'latin1');

describe('wildmatch: rsync wildtest.txt', () => {
  it.each(WILDTEST_CASES.map(([m, t, p], i) => [i, m, t, p] as const))(
    '#%i expects %i for %j ~ %j',
    (_i, m, t, p) => {
      expect(wildmatch(b(p), b(t))).toBe(m === 1);
    },
  );
});

describe('wildmatch: our edge cases', () => {
  const cases: [boolean, string, string][] = [
    [true, '/tmp/a', '/tmp/*'],
    [false, '/tmp/a/b', '/tmp/*'],
    [true, '/tmp/a/b', '/tmp/**'],
    [true, '/tmp/', '/tmp/**'],
    [false, '/tmp', '/tmp/**'],
    [true, '/dev/tty1', '/dev/tty*'],
    [false, '/dev/pts/1', '/dev/tty*'],
    [true, '/a/b/c.so.1', '/**/*.so*'],
    [true, 'a/b', 'a[/]b'],
    [false, 'a/b', 'a[!x]b'],
    [false, 'a/b', 'a[+-0]b'],
    [true, 'a\\b', 'a[\\\\]b'],
  ];
  it.each(cases)('%s for %j ~ %j', (m, t, p) => expect(wildmatch(b(p), b(t))).toBe(m));

  it('matches bytes that are not UTF-8', () => {
    expect(wildmatch(b('/tmp/?'), Buffer.from([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0xff]))).toBe(true);
    expect(wildmatch(b('/tmp/*'), Buffer.from([0x2f, 0x74, 0x6d, 0x70, 0x2f, 0xc3, 0x28]))).toBe(true);
  });

  it('folds ASCII case only when asked', () => {
    expect(wildmatch(b('/TMP/[a-c]*'), b('/tmp/Bx'))).toBe(false);
    expect(wildmatch(b('/TMP/[a-c]*'), b('/tmp/Bx'), { caseInsensitive: true })).toBe(true);
    expect(wildmatch(b('/tmp/[[:upper:]]'), b('/tmp/x'), { caseInsensitive: true })).toBe(true);
  });

  it('never throws and a literal pattern matches only itself (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), fc.uint8Array({ maxLength: 24 }), (p, t) => {
        wildmatch(p, t);
        if (!hasWildcard(p) && !p.includes(0x5c)) expect(wildmatch(p, t)).toBe(Buffer.compare(p, t) === 0);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});

describe('path patterns', () => {
  const cases: [string, 'literal' | 'prefix', string, boolean][] = [
    ['/tmp/***', 'literal', '/tmp', true],
    ['/tmp/***', 'literal', '/tmp/a/b', true],
    ['/tmp/***', 'literal', '/tmpfoo', false],
    ['/t?p/***', 'literal', '/tmp', true],
    ['/t?p/***', 'literal', '/tmp/x/y', true],
    ['/t?p/***', 'literal', '/tmpx', false],
    ['/tmp', 'literal', '/tmp', true],
    ['/tmp', 'literal', '/tmp/x', false],
    ['/tmp', 'prefix', '/tmp/x', true],
    ['/tmp', 'prefix', '/tmp', true],
    ['/tmp', 'prefix', '/tmpx', false],
    ['/tmp/', 'prefix', '/tmp/x', true],
    ['/', 'prefix', '/etc/passwd', true],
    ['/***', 'literal', '/etc/passwd', true],
    ['/tmp/*', 'prefix', '/tmp/x/y', false],
    ['/a\\*b', 'literal', '/a\\*b', false],
    ['/a\\*b', 'literal', '/a*b', true],
    ['/a\\b', 'literal', '/a\\b', true],
  ];
  it.each(cases)('%j (%s) ~ %j -> %s', (p, mode, path, m) => {
    expect(compilePathPattern(p, { noWildcard: mode }).matches(b(path))).toBe(m);
  });
  it('case-insensitive prefix', () => {
    expect(
      compilePathPattern('/TMP', { noWildcard: 'prefix', caseSensitive: false }).matches(b('/tmp/x')),
    ).toBe(true);
  });
});
