/**
 * Socket addresses: decoding `struct sockaddr` bytes the way the kernel reads
 * them, and sydbox-1's address patterns (`unix:GLOB`, `unix-abstract:GLOB`,
 * `inet:ADDR/MASK@PORT[-PORT]`, `inet6:...`, and the aliases).
 */

import { readFileSync } from 'node:fs';
import { compilePathPattern, type MatchOptions, type PathMatcher, toBytes } from './pattern.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_INET6 = 10;

/** A decoded socket address. IPv4-mapped IPv6 addresses are kept as given; matching normalises them. */
export type SockAddr =
  | { readonly family: 'unix'; readonly path: Uint8Array }
  | { readonly family: 'unix-abstract'; readonly name: Uint8Array }
  | { readonly family: 'unix-unnamed' }
  | { readonly family: 'inet'; readonly addr: Uint8Array; readonly port: number }
  | { readonly family: 'inet6'; readonly addr: Uint8Array; readonly port: number; readonly scopeId: number }
  | { readonly family: 'other'; readonly familyNumber: number };

export type DecodeResult =
  | { readonly ok: true; readonly addr: SockAddr }
  | { readonly ok: false; readonly errno: 'EINVAL' };

const SUN_PATH_MAX = 108;
const SOCKADDR_UN_SIZE = 110;
const SOCKADDR_IN_SIZE = 16;
/** The kernel accepts sockaddr_in6 without sin6_scope_id (RFC 2133 size). */
const SIN6_LEN_RFC2133 = 24;

/**
 * Decode `len` bytes of a `struct sockaddr` as bind(2)/connect(2) would.
 * `endian` is the tracee's byte order (sa_family is host order, ports are
 * network order). Lengths the kernel rejects give EINVAL, so the caller can
 * deny with the errno the call would have failed with anyway.
 */
export function decodeSockaddr(
  bytes: Uint8Array,
  len: number,
  endian: 'little' | 'big' = 'little',
): DecodeResult {
  if (!Number.isInteger(len) || len < 2 || len > bytes.length) return { ok: false, errno: 'EINVAL' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, len);
  const family = view.getUint16(0, endian === 'little');
  if (family === AF_UNIX) {
    if (len > SOCKADDR_UN_SIZE) return { ok: false, errno: 'EINVAL' };
    if (len === 2) return { ok: true, addr: { family: 'unix-unnamed' } };
    const body = bytes.subarray(2, len);
    if (body[0] === 0)
      return { ok: true, addr: { family: 'unix-abstract', name: Uint8Array.from(body.subarray(1)) } };
    // Pathname sockets end at the first NUL inside the given length (the kernel terminates it).
    const nul = body.indexOf(0);
    const path = Uint8Array.from(nul === -1 ? body.subarray(0, SUN_PATH_MAX) : body.subarray(0, nul));
    return { ok: true, addr: { family: 'unix', path } };
  }
  if (family === AF_INET) {
    if (len < SOCKADDR_IN_SIZE) return { ok: false, errno: 'EINVAL' };
    return {
      ok: true,
      addr: { family: 'inet', port: view.getUint16(2, false), addr: Uint8Array.from(bytes.subarray(4, 8)) },
    };
  }
  if (family === AF_INET6) {
    if (len < SIN6_LEN_RFC2133) return { ok: false, errno: 'EINVAL' };
    const scopeId = len >= 28 ? view.getUint32(24, endian === 'little') : 0;
    return {
      ok: true,
      addr: {
        family: 'inet6',
        port: view.getUint16(2, false),
        addr: Uint8Array.from(bytes.subarray(8, 24)),
        scopeId,
      },
    };
  }
  return { ok: true, addr: { family: 'other', familyNumber: family } };
}

/** Encode a socket address as the kernel's struct (tests, and the successful-bind list's keys). */
export function encodeSockaddr(addr: SockAddr, endian: 'little' | 'big' = 'little'): Uint8Array {
  const le = endian === 'little';
  const fam = (n: number, size: number) => {
    const b = new Uint8Array(size);
    new DataView(b.buffer).setUint16(0, n, le);
    return b;
  };
  switch (addr.family) {
    case 'unix': {
      const b = fam(AF_UNIX, 2 + addr.path.length + 1);
      b.set(addr.path, 2);
      return b;
    }
    case 'unix-abstract': {
      const b = fam(AF_UNIX, 3 + addr.name.length);
      b.set(addr.name, 3);
      return b;
    }
    case 'unix-unnamed':
      return fam(AF_UNIX, 2);
    case 'inet': {
      const b = fam(AF_INET, SOCKADDR_IN_SIZE);
      new DataView(b.buffer).setUint16(2, addr.port, false);
      b.set(addr.addr, 4);
      return b;
    }
    case 'inet6': {
      const b = fam(AF_INET6, 28);
      const v = new DataView(b.buffer);
      v.setUint16(2, addr.port, false);
      b.set(addr.addr, 8);
      v.setUint32(24, addr.scopeId, le);
      return b;
    }
    case 'other':
      return fam(addr.familyNumber, 16);
  }
}

// ---------------------------------------------------------------------------
// IP addresses

export function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

export function parseIPv6(s: string): Uint8Array | null {
  if (s.length === 0 || s.length > 45) return null;
  let head = s;
  let v4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    v4 = parseIPv4(s.slice(lastColon + 1));
    if (!v4) return null;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const dbl = head.indexOf('::');
  if (dbl !== -1 && head.indexOf('::', dbl + 1) !== -1) return null;
  const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
  let groups: string[];
  if (dbl === -1) {
    groups = groupsOf(head);
    if (groups.length !== 8) return null;
  } else {
    const left = groupsOf(head.slice(0, dbl));
    const right = groupsOf(head.slice(dbl + 2));
    const fill = 8 - left.length - right.length;
    if (fill < 1) return null;
    groups = [...left, ...Array<string>(fill).fill('0'), ...right];
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const g = groups[i]!;
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
    const n = Number.parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  }
  if (v4) out.set(v4, 12);
  return out;
}

export function formatIPv4(a: Uint8Array): string {
  return Array.from(a).join('.');
}

export function formatIPv6(a: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((a[i]! << 8) | a[i + 1]!);
  if (isV4Mapped(a)) return `::ffff:${formatIPv4(a.subarray(12))}`;
  // RFC 5952: compress the longest run (length >= 2) of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function isV4Mapped(a: Uint8Array): boolean {
  for (let i = 0; i < 10; i++) if (a[i] !== 0) return false;
  return a[10] === 0xff && a[11] === 0xff;
}

function prefixEq(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  const full = bits >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[full]! ^ b[full]!) & mask) === 0;
}

// ---------------------------------------------------------------------------
// Address patterns

export interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

export type AddressPattern =
  | { readonly kind: 'unix'; readonly source: string; readonly glob: PathMatcher }
  | { readonly kind: 'unix-abstract'; readonly source: string; readonly glob: PathMatcher }
  | {
      readonly kind: 'inet' | 'inet6';
      readonly source: string;
      readonly addr: Uint8Array;
      readonly prefix: number;
      readonly ports: PortRange;
    };

export class AddressPatternError extends Error {
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
    this.name = 'AddressPatternError';
  }
}

/**
 * The aliases, as networks. Two deliberate deviations from sydbox-1, whose
 * manual expands LOOPBACK6 to `::1/8` and LOCAL6's link-local and site-local
 * parts to `/7`: `::1/8` would cover `::` and every IPv4-mapped address, and
 * `fe80::/7` covers all of `fe00::/7` including multicast. We use the exact
 * networks (`::1/128`, `fe80::/10`, `fec0::/10`).
 */
export const ADDRESS_ALIASES: Readonly<Record<string, readonly string[]>> = {
  LOOPBACK: ['inet:127.0.0.0/8'],
  LOOPBACK6: ['inet6:::1/128'],
  LOCAL: ['inet:127.0.0.0/8', 'inet:10.0.0.0/8', 'inet:172.16.0.0/12', 'inet:192.168.0.0/16'],
  LOCAL6: ['inet6:::1/128', 'inet6:fe80::/10', 'inet6:fc00::/7', 'inet6:fec0::/10'],
  ANY: ['inet:0.0.0.0/0'],
  ANY6: ['inet6:::/0'],
};

let servicesCache: Map<string, number> | null = null;

/** Port numbers by service name from /etc/services (sydbox accepts `@http`). */
export function serviceNames(file = '/etc/services'): Map<string, number> {
  if (servicesCache && file === '/etc/services') return servicesCache;
  const map = new Map<string, number>();
  let text = '';
  try {
    text = readFileSync(file, 'latin1');
  } catch {
    // No services database: only numeric ports work.
  }
  for (const line of text.split('\n')) {
    const words = line.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/(tcp|udp|sctp|dccp)$/.exec(words[1] ?? '');
    if (!m) continue;
    for (const name of [words[0]!, ...words.slice(2)])
      if (name && !map.has(name)) map.set(name, Number(m[1]));
  }
  if (file === '/etc/services') servicesCache = map;
  return map;
}

function parsePort(s: string, input: string): number {
  if (/^[0-9]+$/.test(s)) {
    const n = Number(s);
    if (n > 65535) throw new AddressPatternError(`port ${s} is out of range (0-65535)`, input);
    return n;
  }
  const n = serviceNames().get(s);
  if (n === undefined) throw new AddressPatternError(`unknown port or service name '${s}'`, input);
  return n;
}

function parsePorts(s: string | undefined, input: string): PortRange {
  if (s === undefined) return { lo: 0, hi: 65535 };
  const dash = s.indexOf('-');
  if (dash === -1) {
    const p = parsePort(s, input);
    return { lo: p, hi: p };
  }
  const lo = parsePort(s.slice(0, dash), input);
  const hi = parsePort(s.slice(dash + 1), input);
  if (lo > hi) throw new AddressPatternError(`port range ${s} is empty (start > end)`, input);
  return { lo, hi };
}

/**
 * Parse one address pattern into one or more matchers (an alias expands to
 * several). Throws AddressPatternError naming what is wrong.
 */
export function parseAddressPattern(input: string, options: MatchOptions = {}): AddressPattern[] {
  if (input.startsWith('unix:')) {
    const glob = input.slice(5);
    if (glob === '') throw new AddressPatternError('unix: needs a path pattern', input);
    return [{ kind: 'unix', source: input, glob: compilePathPattern(toBytes(glob), options) }];
  }
  if (input.startsWith('unix-abstract:')) {
    const glob = input.slice(14);
    return [{ kind: 'unix-abstract', source: input, glob: compilePathPattern(toBytes(glob), options) }];
  }
  const at = input.lastIndexOf('@');
  const head = at === -1 ? input : input.slice(0, at);
  const ports = at === -1 ? undefined : input.slice(at + 1);
  const alias = ADDRESS_ALIASES[head];
  if (alias) {
    return alias.map((net) => parseNet(net, ports, input));
  }
  if (head.startsWith('inet:') || head.startsWith('inet6:')) return [parseNet(head, ports, input)];
  const close = closestAlias(head);
  throw new AddressPatternError(
    `unknown address '${head}': expected unix:GLOB, unix-abstract:GLOB, inet:ADDR[/BITS][@PORTS], inet6:ADDR[/BITS][@PORTS] or an alias (${Object.keys(ADDRESS_ALIASES).join(', ')})${close ? `; did you mean ${close}?` : ''}`,
    input,
  );
}

function closestAlias(s: string): string | undefined {
  const up = s.toUpperCase();
  return Object.keys(ADDRESS_ALIASES).find((a) => a === up);
}

function parseNet(net: string, ports: string | undefined, input: string): AddressPattern {
  const v6 = net.startsWith('inet6:');
  const body = net.slice(v6 ? 6 : 5);
  const slash = body.lastIndexOf('/');
  const addrText = slash === -1 ? body : body.slice(0, slash);
  const max = v6 ? 128 : 32;
  let prefix = max;
  if (slash !== -1) {
    const bits = body.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > max)
      throw new AddressPatternError(`netmask '/${bits}' is not a number of bits from 0 to ${max}`, input);
    prefix = Number(bits);
  }
  const addr = v6 ? parseIPv6(addrText) : parseIPv4(addrText);
  if (!addr) throw new AddressPatternError(`'${addrText}' is not an IPv${v6 ? 6 : 4} address`, input);
  return { kind: v6 ? 'inet6' : 'inet', source: input, addr, prefix, ports: parsePorts(ports, input) };
}

/** Render a parsed pattern canonically (round-trips through parseAddressPattern). */
export function formatAddressPattern(p: AddressPattern): string {
  switch (p.kind) {
    case 'unix':
    case 'unix-abstract':
      return p.source;
    default: {
      const a = p.kind === 'inet' ? formatIPv4(p.addr) : formatIPv6(p.addr);
      const ports = p.ports.lo === p.ports.hi ? `${p.ports.lo}` : `${p.ports.lo}-${p.ports.hi}`;
      return `${p.kind}:${a}/${p.prefix}@${ports}`;
    }
  }
}

export type AddressSide = 'bind' | 'connect';

/**
 * The address as matching sees it: IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is the
 * IPv4 address it reaches, so it cannot slip past an `inet:` rule. For
 * connect, the unspecified address (0.0.0.0 / ::) reaches the local host on
 * Linux, so it is matched as loopback and cannot slip past a LOOPBACK rule.
 */
export function canonicalAddress(addr: SockAddr, side: AddressSide): SockAddr {
  if (addr.family === 'inet6' && isV4Mapped(addr.addr)) {
    return canonicalAddress({ family: 'inet', addr: addr.addr.slice(12), port: addr.port }, side);
  }
  if (side === 'connect') {
    if (addr.family === 'inet' && addr.addr.every((x) => x === 0))
      return { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: addr.port };
    if (addr.family === 'inet6' && addr.addr.every((x) => x === 0)) {
      const lo = new Uint8Array(16);
      lo[15] = 1;
      return { ...addr, addr: lo };
    }
  }
  return addr;
}

const MAPPED_PREFIX = (() => {
  const a = new Uint8Array(16);
  a[10] = 0xff;
  a[11] = 0xff;
  return a;
})();

/**
 * Whether an address (already canonical) matches a pattern. An inet6 network
 * that overlaps `::ffff:0:0/96` also denotes the IPv4 addresses mapped into
 * it, so `inet6:::ffff:10.0.0.0/104` and `inet:10.0.0.0/8` mean the same.
 */
export function addressMatches(p: AddressPattern, addr: SockAddr): boolean {
  switch (p.kind) {
    case 'unix':
      return addr.family === 'unix' && p.glob.matches(addr.path);
    case 'unix-abstract':
      return addr.family === 'unix-abstract' && p.glob.matches(addr.name);
    case 'inet':
      return addr.family === 'inet' && inPorts(p.ports, addr.port) && prefixEq(p.addr, addr.addr, p.prefix);
    case 'inet6': {
      if (!('port' in addr) || !inPorts(p.ports, addr.port)) return false;
      if (addr.family === 'inet6') return prefixEq(p.addr, addr.addr, p.prefix);
      if (addr.family !== 'inet') return false;
      const mapped = MAPPED_PREFIX.slice();
      mapped.set(addr.addr, 12);
      return prefixEq(p.addr, mapped, p.prefix);
    }
  }
}

function inPorts(r: PortRange, port: number): boolean {
  return port >= r.lo && port <= r.hi;
}

/** A printable form of an address for reports: `inet:127.0.0.1@80`, `unix:/run/x`. */
export function formatSockAddr(addr: SockAddr): string {
  switch (addr.family) {
    case 'unix':
      return `unix:${Buffer.from(addr.path).toString('utf8')}`;
    case 'unix-abstract':
      return `unix-abstract:${Buffer.from(addr.name).toString('utf8')}`;
    case 'unix-unnamed':
      return 'unix-unnamed';
    case 'inet':
      return `inet:${formatIPv4(addr.addr)}@${addr.port}`;
    case 'inet6':
      return `inet6:${formatIPv6(addr.addr)}@${addr.port}`;
    case 'other':
      return `family:${addr.familyNumber}`;
  }
}
