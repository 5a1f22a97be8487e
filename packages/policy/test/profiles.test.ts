import { describe, expect, it } from 'vitest';
import { Checker } from '../src/checker.js';
import type { Category } from '../src/model.js';
import { parseIPv4, parseIPv6 } from '../src/net.js';
import { PROFILES, profile, profileNames } from '../src/profiles.js';

function decide(name: string, category: Category, subject: string, vars: Record<string, string> = {}) {
  const c = new Checker(profile(name, vars)!, { isSandboxPid: (p) => p === 4242 });
  if (category.startsWith('net/')) {
    const [host, port] = subject.split('@') as [string, string];
    const address = host.startsWith('unix:')
      ? { family: 'unix' as const, path: Buffer.from(host.slice(5)) }
      : host.includes(':')
        ? { family: 'inet6' as const, addr: parseIPv6(host)!, port: Number(port), scopeId: 0 }
        : { family: 'inet' as const, addr: parseIPv4(host)!, port: Number(port) };
    return c.check({ category, address }).decision;
  }
  return c.check({ category, path: Buffer.from(subject), op: 'open', pid: 4242, tid: 4242 }).decision;
}

// [profile, category, subject, expected, variables]
const TABLE: [string, Category, string, string, Record<string, string>?][] = [
  ['paludis', 'write', '/var/tmp/paludis/build/x', 'allow'],
  ['paludis', 'write', '/tmp/x', 'allow'],
  ['paludis', 'write', '/dev/null', 'allow'],
  ['paludis', 'write', '/dev/tty3', 'allow'],
  ['paludis', 'write', '/dev/pts/0', 'allow'],
  ['paludis', 'write', '/proc/self/fd/1', 'allow'],
  ['paludis', 'write', '/proc/4242/fd/1', 'allow'],
  ['paludis', 'write', '/usr/lib/libc.so', 'deny'],
  ['paludis', 'write', '/etc/passwd', 'deny'],
  ['paludis', 'write', '/build/pkg/work/a.o', 'allow', { BUILD_DIRS: '/build/pkg:/other' }],
  ['paludis', 'write', '/build/pkgx', 'deny', { BUILD_DIRS: '/build/pkg' }],
  ['paludis', 'read', '/etc/shadow', 'allow'],
  ['paludis', 'net/bind', '127.0.0.1@0', 'allow'],
  ['paludis', 'net/bind', '127.0.0.1@80', 'deny'],
  ['paludis', 'net/bind', '127.0.0.1@8080', 'allow'],
  ['paludis', 'net/bind', '0.0.0.0@8080', 'deny'],
  ['paludis', 'net/connect', 'unix:/run/nscd/socket@0', 'allow'],
  ['paludis', 'net/connect', '1.1.1.1@443', 'deny'],
  ['paludis', 'net/connect', '127.0.0.1@65535', 'allow'],
  ['user', 'write', '/home/alice/notes.txt', 'allow', { HOME: '/home/alice', UID: '1000' }],
  ['user', 'write', '/home/bob/notes.txt', 'deny', { HOME: '/home/alice', UID: '1000' }],
  ['user', 'write', '/run/user/1000/bus', 'allow', { HOME: '/home/alice', UID: '1000' }],
  ['user', 'write', '/run/user/1001/bus', 'deny', { HOME: '/home/alice', UID: '1000' }],
  ['user', 'write', '/etc/hosts', 'deny', { HOME: '/home/alice', UID: '1000' }],
  ['user', 'net/connect', '1.1.1.1@443', 'allow', { HOME: '/home/alice', UID: '1000' }],
  ['readonly', 'write', '/tmp/x', 'deny'],
  ['readonly', 'write', '/dev/null', 'allow'],
  ['readonly', 'read', '/etc/passwd', 'allow'],
  ['no-network', 'net/connect', '1.1.1.1@443', 'deny'],
  ['no-network', 'net/connect', '127.0.0.1@80', 'deny'],
  ['no-network', 'net/connect', 'unix:/run/dbus/system_bus_socket@0', 'allow'],
  ['no-network', 'net/bind', '::1@80', 'deny'],
  ['no-network', 'write', '/etc/x', 'allow'],
  ['loopback-only', 'net/connect', '127.0.0.1@80', 'allow'],
  ['loopback-only', 'net/connect', '127.9.9.9@80', 'allow'],
  ['loopback-only', 'net/connect', '::1@80', 'allow'],
  ['loopback-only', 'net/connect', '::ffff:127.0.0.1@80', 'allow'],
  ['loopback-only', 'net/connect', '::ffff:10.0.0.1@80', 'deny'],
  ['loopback-only', 'net/connect', '10.0.0.1@80', 'deny'],
  ['loopback-only', 'net/bind', '0.0.0.0@80', 'deny'],
];

describe('built-in profiles', () => {
  it('are the documented five', () => {
    expect(profileNames()).toEqual(['paludis', 'user', 'readonly', 'no-network', 'loopback-only']);
    for (const p of Object.values(PROFILES)) expect(p.description.length).toBeGreaterThan(20);
  });
  it.each(TABLE)('%s: %s %s -> %s', (name, category, subject, expected, vars) => {
    expect(decide(name, category, subject, vars)).toBe(expected);
  });
  it('unknown profile', () => expect(profile('nope')).toBeUndefined());
});
