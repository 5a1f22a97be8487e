import { describe, expect, it } from 'vitest';
import {
  addressMatches,
  canonicalAddress,
  parseAddressPattern,
  parseIPv4,
  parseIPv6,
  type SockAddr,
} from '../src/net.js';
import { SYDBOX_SOCKMATCH_CASES } from './sockmatch-sydbox-cases.js';

function address(s: string): SockAddr {
  if (s.startsWith('unix:')) return { family: 'unix', path: Buffer.from(s.slice(5)) };
  const at = s.lastIndexOf('@');
  const port = Number(s.slice(at + 1));
  if (s.startsWith('inet6:')) {
    const a = parseIPv6(s.slice(6, at));
    if (a === null) throw new Error(`bad test address ${s}`);
    return { family: 'inet6', addr: a, port, scopeId: 0 };
  }
  const a = parseIPv4(s.slice(5, at));
  if (a === null) throw new Error(`bad test address ${s}`);
  return { family: 'inet', addr: a, port };
}

describe("sydbox-1's socket matching cases", () => {
  it('has every case of the published test (expanded loops)', () => {
    // 2 unix + 1 + 33 + 3 + 99 + 2 + 66 + 2 + 3 + 30 + 32 + 2 + 18 + 1 + 1 + 46 + 2 + 34 + 1 + 1 + 2 + 50 + 1 + 1 + 7 + 3
    expect(SYDBOX_SOCKMATCH_CASES.length).toBe(443);
  });

  it.each(SYDBOX_SOCKMATCH_CASES)('%s vs %s -> %s (%s)', (pattern, addr, expected) => {
    const a = canonicalAddress(address(addr), 'bind');
    const got = parseAddressPattern(pattern).some((p) => addressMatches(p, a));
    expect(got).toBe(expected);
  });
});
