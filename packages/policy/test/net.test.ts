import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AddressPatternError,
  addressMatches,
  canonicalAddress,
  decodeSockaddr,
  encodeSockaddr,
  formatAddressPattern,
  formatIPv6,
  parseAddressPattern,
  parseIPv4,
  parseIPv6,
  type SockAddr,
} from '../src/net.js';

function addr(s: string): SockAddr {
  // 'inet:1.2.3.4@80', 'inet6:::1@80', 'unix:/x', 'unix-abstract:x'
  if (s.startsWith('unix:')) return { family: 'unix', path: Buffer.from(s.slice(5)) };
  if (s.startsWith('unix-abstract:')) return { family: 'unix-abstract', name: Buffer.from(s.slice(14)) };
  const at = s.lastIndexOf('@');
  const port = Number(s.slice(at + 1));
  if (s.startsWith('inet6:')) return { family: 'inet6', addr: parseIPv6(s.slice(6, at))!, port, scopeId: 0 };
  return { family: 'inet', addr: parseIPv4(s.slice(5, at))!, port };
}

function matches(pattern: string, address: string, side: 'bind' | 'connect' = 'bind'): boolean {
  const a = canonicalAddress(addr(address), side);
  return parseAddressPattern(pattern).some((p) => addressMatches(p, a));
}

// Netmasks and port ranges in the manner of sydbox-1's sockmatch tests
// (haystack pattern, needle address, expected).
const CASES: [string, string, boolean][] = [
  ['inet:127.0.0.1@80', 'inet:127.0.0.1@80', true],
  ['inet:127.0.0.1@80', 'inet:127.0.0.1@81', false],
  ['inet:127.0.0.1@80', 'inet:127.0.0.2@80', false],
  ['inet:127.0.0.0/8@80', 'inet:127.255.0.1@80', true],
  ['inet:127.0.0.0/8@80', 'inet:128.0.0.1@80', false],
  ['inet:10.0.0.0/8@1024-65535', 'inet:10.1.2.3@1024', true],
  ['inet:10.0.0.0/8@1024-65535', 'inet:10.1.2.3@65535', true],
  ['inet:10.0.0.0/8@1024-65535', 'inet:10.1.2.3@1023', false],
  ['inet:172.16.0.0/12@0', 'inet:172.31.255.255@0', true],
  ['inet:172.16.0.0/12@0', 'inet:172.32.0.0@0', false],
  ['inet:192.168.1.0/24@22', 'inet:192.168.1.77@22', true],
  ['inet:192.168.1.0/24@22', 'inet:192.168.2.77@22', false],
  ['inet:192.168.1.128/25@22', 'inet:192.168.1.127@22', false],
  ['inet:192.168.1.128/25@22', 'inet:192.168.1.129@22', true],
  ['inet:0.0.0.0/0@0-65535', 'inet:8.8.8.8@53', true],
  ['inet:1.2.3.4/32@53', 'inet:1.2.3.5@53', false],
  ['inet:1.2.3.4/31@53', 'inet:1.2.3.5@53', true],
  ['inet:1.2.3.4', 'inet:1.2.3.4@9', true],
  ['inet6:::1@80', 'inet6:::1@80', true],
  ['inet6:::1@80', 'inet6:::2@80', false],
  ['inet6:fe80::/10@0-65535', 'inet6:fe80::1234@5', true],
  ['inet6:fe80::/10@0-65535', 'inet6:fec0::1@5', false],
  ['inet6:2001:db8::/32@443', 'inet6:2001:db8:ffff::1@443', true],
  ['inet6:2001:db8::/32@443', 'inet6:2001:db9::1@443', false],
  ['inet6:2001:db8::/33@443', 'inet6:2001:db8:8000::1@443', false],
  ['inet6:::/0@1-2', 'inet6:1::@2', true],
  ['LOOPBACK@0', 'inet:127.0.0.1@0', true],
  ['LOOPBACK@0', 'inet:127.0.0.1@1', false],
  ['LOOPBACK@1024-65535', 'inet:127.0.0.1@8080', true],
  ['LOOPBACK6@0', 'inet6:::1@0', true],
  ['LOOPBACK6@0', 'inet6:::@0', false],
  ['LOCAL@80', 'inet:10.9.9.9@80', true],
  ['LOCAL@80', 'inet:172.20.1.1@80', true],
  ['LOCAL@80', 'inet:192.168.0.1@80', true],
  ['LOCAL@80', 'inet:8.8.8.8@80', false],
  ['LOCAL6@80', 'inet6:fd00::1@80', true],
  ['LOCAL6@80', 'inet6:ff02::1@80', false],
  ['ANY@53', 'inet:9.9.9.9@53', true],
  ['ANY6@53', 'inet6:2a00::1@53', true],
  // IPv4-mapped IPv6 cannot slip past an IPv4 rule, and the reverse.
  ['inet:10.0.0.0/8@22', 'inet6:::ffff:10.1.1.1@22', true],
  ['LOOPBACK@22', 'inet6:::ffff:127.0.0.1@22', true],
  ['inet6:::ffff:10.0.0.0/104@22', 'inet:10.200.0.1@22', true],
  ['inet6:::ffff:10.0.0.0/104@22', 'inet:11.0.0.1@22', false],
  ['ANY6@22', 'inet:1.1.1.1@22', true],
  ['inet6:2000::/3@22', 'inet:1.1.1.1@22', false],
  // unix
  ['unix:/run/nscd/socket', 'unix:/run/nscd/socket', true],
  ['unix:/tmp/distcc-pump.*/socket', 'unix:/tmp/distcc-pump.x1/socket', true],
  ['unix:/tmp/*', 'unix:/tmp/a/b', false],
  ['unix:/tmp/***', 'unix:/tmp/a/b', true],
  ['unix-abstract:/tmp/.X11-unix/X*', 'unix-abstract:/tmp/.X11-unix/X0', true],
  ['unix:/tmp/.X11-unix/X*', 'unix-abstract:/tmp/.X11-unix/X0', false],
];

describe('address matching table', () => {
  it.each(CASES)('%s ~ %s -> %s', (p, a, m) => expect(matches(p, a)).toBe(m));

  it('connect to the unspecified address is matched as loopback', () => {
    expect(matches('LOOPBACK@80', 'inet:0.0.0.0@80', 'connect')).toBe(true);
    expect(matches('LOOPBACK6@80', 'inet6:::@80', 'connect')).toBe(true);
    expect(matches('LOOPBACK@80', 'inet6:::ffff:0.0.0.0@80', 'connect')).toBe(true);
    expect(matches('LOOPBACK@80', 'inet:0.0.0.0@80', 'bind')).toBe(false);
  });
});

describe('address pattern errors', () => {
  const bad: [string, RegExp][] = [
    ['inet:1.2.3@80', /not an IPv4 address/],
    ['inet:1.2.3.4/33@80', /netmask/],
    ['inet6:::1/129@80', /netmask/],
    ['inet:1.2.3.4@70000', /out of range/],
    ['inet:1.2.3.4@90-80', /empty/],
    ['inet:1.2.3.4@nosuchservice', /unknown port or service/],
    ['loopback@80', /did you mean LOOPBACK/],
    ['tcp:1.2.3.4', /unknown address/],
    ['unix:', /needs a path/],
    ['inet6:1::2::3@1', /not an IPv6/],
    ['inet:01.2.3.4@1', /not an IPv4/],
  ];
  it.each(bad)('%s', (s, re) => {
    expect(() => parseAddressPattern(s)).toThrow(AddressPatternError);
    expect(() => parseAddressPattern(s)).toThrow(re);
  });
  it('fuzz: only AddressPatternError, never a crash (fast-check, seeded)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        'inet:',
        'inet6:',
        'unix:',
        'unix-abstract:',
        'LOOPBACK',
        'ANY6',
        '@',
        '/',
        '-',
        '::',
        '.',
        '65535',
        '1.2.3.4',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (parts) => {
        try {
          for (const p of parseAddressPattern(parts.join(''))) formatAddressPattern(p);
        } catch (e) {
          expect(e).toBeInstanceOf(AddressPatternError);
        }
      }),
      { seed: 5, numRuns: 3000 },
    );
  });

  it('accepts a service name', () => {
    const [p] = parseAddressPattern('inet:1.2.3.4@ssh');
    expect(p?.kind === 'inet' && p.ports.lo).toBe(22);
  });
});

describe('sockaddr decoding', () => {
  const le = (n: number) => [n & 0xff, n >> 8];
  it.each([
    ['too short', [], 0, { ok: false, errno: 'EINVAL' }],
    ['1 byte', [1], 1, { ok: false, errno: 'EINVAL' }],
    ['unnamed unix', le(1), 2, { ok: true, addr: { family: 'unix-unnamed' } }],
    ['inet short', [...le(2), 0, 80, 127, 0, 0, 1], 8, { ok: false, errno: 'EINVAL' }],
    ['inet6 short', [...le(10), ...Array(20).fill(0)], 22, { ok: false, errno: 'EINVAL' }],
    ['unknown family', [...le(16), 0, 0], 4, { ok: true, addr: { family: 'other', familyNumber: 16 } }],
    ['unix too long', [...le(1), ...Array(109).fill(0x61)], 111, { ok: false, errno: 'EINVAL' }],
  ] as const)('%s', (_n, bytes, len, expected) => {
    expect(decodeSockaddr(Uint8Array.from(bytes), len)).toEqual(expected);
  });
  it('length larger than the buffer is EINVAL (the caller read fewer bytes)', () => {
    expect(decodeSockaddr(Uint8Array.of(2, 0), 16)).toEqual({ ok: false, errno: 'EINVAL' });
  });
  it('unix path stops at NUL; abstract keeps every byte', () => {
    const p = decodeSockaddr(Uint8Array.from([...le(1), 0x2f, 0x61, 0, 0x62]), 6);
    expect(p).toEqual({ ok: true, addr: { family: 'unix', path: Uint8Array.of(0x2f, 0x61) } });
    const a = decodeSockaddr(Uint8Array.from([...le(1), 0, 0x61, 0, 0x62]), 6);
    expect(a).toEqual({ ok: true, addr: { family: 'unix-abstract', name: Uint8Array.of(0x61, 0, 0x62) } });
  });
  it('inet6 without scope id (RFC 2133 length) and big-endian family', () => {
    const b = new Uint8Array(24);
    b[1] = 10; // big-endian AF_INET6
    b[2] = 0x1f;
    b[3] = 0x90;
    b[23] = 1;
    const r = decodeSockaddr(b, 24, 'big');
    expect(r.ok && r.addr.family === 'inet6' && r.addr.port).toBe(8080);
  });
  it('encode/decode round trip (fast-check, seeded)', () => {
    const arb = fc.oneof(
      fc.record({
        family: fc.constant('inet' as const),
        addr: fc.uint8Array({ minLength: 4, maxLength: 4 }),
        port: fc.integer({ min: 0, max: 65535 }),
      }),
      fc.record({
        family: fc.constant('inet6' as const),
        addr: fc.uint8Array({ minLength: 16, maxLength: 16 }),
        port: fc.integer({ min: 0, max: 65535 }),
        scopeId: fc.nat(),
      }),
      fc.record({ family: fc.constant('unix-abstract' as const), name: fc.uint8Array({ maxLength: 100 }) }),
      fc.record({
        family: fc.constant('unix' as const),
        path: fc.uint8Array({ minLength: 1, maxLength: 100 }).filter((p) => p[0] !== 0 && !p.includes(0)),
      }),
    );
    fc.assert(
      fc.property(arb, fc.constantFrom('little' as const, 'big' as const), (a, endian) => {
        const bytes = encodeSockaddr(a as SockAddr, endian);
        const r = decodeSockaddr(bytes, bytes.length, endian);
        expect(r).toEqual({ ok: true, addr: a });
      }),
      { seed: 7, numRuns: 500 },
    );
  });
  it('never throws on arbitrary bytes (fast-check, seeded)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 130 }), fc.integer({ min: -5, max: 140 }), (b, len) => {
        decodeSockaddr(b, len);
      }),
      { seed: 8, numRuns: 2000 },
    );
  });
});

describe('IPv6 text', () => {
  it.each([
    ['::1', '::1'],
    ['::', '::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::1:2', 'fe80::1:2'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
  ])('%s -> %s', (i, o) => expect(formatIPv6(parseIPv6(i)!)).toBe(o));
  it('pattern format round-trips', () => {
    for (const s of ['inet:10.0.0.0/8@1-2', 'inet6:fe80::/10@0-65535', 'LOCAL6@22']) {
      for (const p of parseAddressPattern(s)) {
        const again = parseAddressPattern(formatAddressPattern(p));
        expect(formatAddressPattern(again[0]!)).toBe(formatAddressPattern(p));
      }
    }
  });
});
