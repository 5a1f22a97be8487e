/**
 * Our x86 numbers against the machine's own kernel headers (Debian's
 * linux-libc-dev, an independent build of the same kernel tables).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syscalls } from '../src/index.js';
import { compareNumbers, describeComparison, parseUnistd } from './helpers/crosscheck.js';

const DIR = '/usr/include/x86_64-linux-gnu/asm';
const CASES = [
  { arch: 'x86_64', header: `${DIR}/unistd_64.h` },
  { arch: 'i386', header: `${DIR}/unistd_32.h` },
  { arch: 'x32', header: `${DIR}/unistd_x32.h` },
] as const;

function ours(arch: string): Map<string, number> {
  return new Map(syscalls(arch).map((s) => [s.name, s.nr]));
}

describe('numbers agree with the machine kernel headers', () => {
  it.each(CASES)('$arch against $header', ({ arch, header }) => {
    expect(
      existsSync(header),
      `${header} is missing: install linux-libc-dev (scripts/setup-system.mjs)`,
    ).toBe(true);
    const theirs = parseUnistd(readFileSync(header, 'utf8'));
    expect(theirs.size).toBeGreaterThan(300);
    const c = compareNumbers(arch, ours(arch), theirs);
    console.info(describeComparison(c));
    expect(c.mismatches).toEqual([]);
    // The headers come from an older kernel than our source: every name they have, we have.
    expect(c.onlyTheirs).toEqual([]);
    expect(c.agreed).toBe(theirs.size);
  });

  it('fails when one of our numbers is changed', () => {
    const theirs = parseUnistd(readFileSync(CASES[0].header, 'utf8'));
    const mutated = ours('x86_64');
    mutated.set('openat', 258);
    const c = compareNumbers('x86_64', mutated, theirs);
    expect(c.mismatches).toEqual([{ name: 'openat', ours: 258, theirs: 257 }]);
  });

  it('reads x32 numbers with the x32 bit', () => {
    const m = parseUnistd(
      '#define __NR_read (__X32_SYSCALL_BIT + 0)\n#define __NR_openat (__X32_SYSCALL_BIT + 257)\n',
    );
    expect(m.get('openat')).toBe(0x40000101);
    expect(() => parseUnistd('#define __NR_x (FOO + 1)\n')).toThrow(/__NR_x/);
  });
});
