import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/compile.js';
import { definePolicy, type PolicyInput, type Rule } from '../src/model.js';
import { encodeSockaddr, parseIPv4, parseIPv6 } from '../src/net.js';
import { profile } from '../src/profiles.js';
import { AT_FDCWD } from '../src/resolve.js';
import { FakeMemory } from './helpers.js';

let d: string;
beforeAll(() => {
  d = mkdtempSync(join(tmpdir(), 'sb-policy-eval-'));
  mkdirSync(`${d}/tmp`);
  mkdirSync(`${d}/etc`);
  mkdirSync(`${d}/secret`);
  writeFileSync(`${d}/etc/passwd`, 'root');
  writeFileSync(`${d}/secret/key`, 'k');
  writeFileSync(`${d}/tmp/f`, 'f');
});
afterAll(() => rmSync(d, { recursive: true, force: true }));

const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_EXCL = 0o200;
const O_PATH = 0o10000000;

type Arg = number | bigint | string | { bytes: Uint8Array } | null;

const rule = (action: Rule['action'], category: Rule['category'], pattern: string): Rule => ({
  action,
  category,
  pattern,
  source: { file: 'test.yaml', line: 7 },
});

function run(input: PolicyInput, syscall: string, args: Arg[], arch = 'x86_64', pid = process.pid) {
  const compiled = compilePolicy(definePolicy(input), {
    arches: [arch],
    context: { isSandboxPid: (p) => p === pid },
  });
  const mem = new FakeMemory();
  const regs = args.map((a) => {
    if (a === null) return 0n;
    if (typeof a === 'number') return BigInt.asUintN(64, BigInt(a));
    if (typeof a === 'bigint') return a;
    if (typeof a === 'string') return mem.str(a.replaceAll('{d}', d));
    return mem.put(a.bytes);
  });
  while (regs.length < 6) regs.push(0n);
  return compiled.evaluator.evaluate({ arch, syscall, args: regs, pid }, mem);
}

const WRITE_TMP: PolicyInput = { sandbox: { write: 'deny' }, rules: [rule('allow', 'write', '{d}/tmp/***')] };
const fix = (p: PolicyInput): PolicyInput => ({
  ...p,
  rules: (p.rules ?? []).map((r) => ({ ...r, pattern: String(r.pattern).replaceAll('{d}', d) })),
});

interface Case {
  name: string;
  policy: PolicyInput;
  syscall: string;
  args: Arg[];
  arch?: string;
  decision: 'allow' | 'deny' | 'kill' | 'killall';
  errno?: string | null;
  rule?: string | null;
  report?: boolean;
}

const STAT_HIDES: PolicyInput = {
  sandbox: { write: 'deny', stat: 'deny' },
  rules: [
    rule('allow', 'stat', '/***'),
    rule('deny', 'stat', '{d}/secret/***'),
    rule('allow', 'write', '{d}/tmp/***'),
  ],
};

const CASES: Case[] = [
  {
    name: 'write allowed by rule',
    policy: WRITE_TMP,
    syscall: 'openat',
    args: [AT_FDCWD, '{d}/tmp/new', O_WRONLY | O_CREAT, 0o644],
    decision: 'allow',
    rule: '{d}/tmp/***',
  },
  {
    name: 'write denied by default',
    policy: WRITE_TMP,
    syscall: 'openat',
    args: [AT_FDCWD, '{d}/etc/passwd', O_WRONLY, 0],
    decision: 'deny',
    errno: 'EACCES',
    rule: null,
    report: true,
  },
  {
    name: 'O_RDWR is a write',
    policy: WRITE_TMP,
    syscall: 'open',
    args: ['{d}/etc/passwd', O_RDWR, 0],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'read-only open with read off',
    policy: WRITE_TMP,
    syscall: 'openat',
    args: [AT_FDCWD, '{d}/etc/passwd', 0, 0],
    decision: 'allow',
  },
  {
    name: 'O_PATH is not a write',
    policy: WRITE_TMP,
    syscall: 'openat',
    args: [AT_FDCWD, '{d}/etc/passwd', O_PATH | O_WRONLY, 0],
    decision: 'allow',
  },
  {
    name: 'relative path from the cwd',
    policy: { sandbox: { write: 'deny' } },
    syscall: 'creat',
    args: ['sb-relative-file', 0o644],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'mkdir of an existing visible dir: EEXIST, not reported',
    policy: WRITE_TMP,
    syscall: 'mkdir',
    args: ['{d}/etc', 0o755],
    decision: 'deny',
    errno: 'EEXIST',
    report: false,
  },
  {
    name: 'mkdir new: EACCES',
    policy: WRITE_TMP,
    syscall: 'mkdir',
    args: ['{d}/newdir', 0o755],
    decision: 'deny',
    errno: 'EACCES',
    report: true,
  },
  {
    name: 'O_CREAT|O_EXCL on existing visible: EEXIST',
    policy: WRITE_TMP,
    syscall: 'openat',
    args: [AT_FDCWD, '{d}/etc/passwd', O_WRONLY | O_CREAT | O_EXCL, 0],
    decision: 'deny',
    errno: 'EEXIST',
  },
  {
    name: 'hidden existing: stat ENOENT',
    policy: STAT_HIDES,
    syscall: 'newfstatat',
    args: [AT_FDCWD, '{d}/secret/key', 0n, 0],
    decision: 'deny',
    errno: 'ENOENT',
    rule: '{d}/secret/***',
  },
  {
    name: 'hidden missing: stat ENOENT too',
    policy: STAT_HIDES,
    syscall: 'stat',
    args: ['{d}/secret/nothing', 0n],
    decision: 'deny',
    errno: 'ENOENT',
  },
  {
    name: 'hidden existing: mkdir EACCES (no EEXIST oracle)',
    policy: STAT_HIDES,
    syscall: 'mkdir',
    args: ['{d}/secret/key', 0o755],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'hidden missing: mkdir EACCES too',
    policy: STAT_HIDES,
    syscall: 'mkdir',
    args: ['{d}/secret/none', 0o755],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'hidden: ENOTDIR would tell, ENOENT instead',
    policy: STAT_HIDES,
    syscall: 'stat',
    args: ['{d}/secret/key/x', 0n],
    decision: 'deny',
    errno: 'ENOENT',
  },
  {
    name: 'visible: ENOTDIR as the kernel',
    policy: STAT_HIDES,
    syscall: 'stat',
    args: ['{d}/etc/passwd/x', 0n],
    decision: 'deny',
    errno: 'ENOTDIR',
  },
  {
    name: 'hidden: unlink ENOENT',
    policy: STAT_HIDES,
    syscall: 'unlink',
    args: ['{d}/secret/key'],
    decision: 'deny',
    errno: 'ENOENT',
  },
  {
    name: 'chmod denied: EPERM',
    policy: WRITE_TMP,
    syscall: 'chmod',
    args: ['{d}/etc/passwd', 0o777],
    decision: 'deny',
    errno: 'EPERM',
  },
  {
    name: 'fchmodat AT_FDCWD',
    policy: WRITE_TMP,
    syscall: 'fchmodat',
    args: [AT_FDCWD, '{d}/tmp/f', 0o600],
    decision: 'allow',
    rule: '{d}/tmp/***',
  },
  {
    name: 'rename into a denied dir',
    policy: WRITE_TMP,
    syscall: 'rename',
    args: ['{d}/tmp/f', '{d}/etc/f'],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'hard link of a denied file into an allowed dir',
    policy: WRITE_TMP,
    syscall: 'link',
    args: ['{d}/etc/passwd', '{d}/tmp/pw'],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'symlink: only the new name is checked',
    policy: WRITE_TMP,
    syscall: 'symlink',
    args: ['{d}/etc/passwd', '{d}/tmp/sl'],
    decision: 'allow',
  },
  {
    name: 'exec through /bin (a symlink on merged-/usr)',
    policy: { sandbox: { exec: 'deny' }, rules: [rule('allow', 'exec', '/usr/bin/***')] },
    syscall: 'execve',
    args: ['/bin/true', 0n, 0n],
    decision: 'allow',
    rule: '/usr/bin/***',
  },
  {
    name: 'exec denied',
    policy: { sandbox: { exec: 'deny' } },
    syscall: 'execve',
    args: ['/usr/bin/true', 0n, 0n],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'kill rule',
    policy: { sandbox: { exec: 'allow' }, rules: [rule('kill', 'exec', '/usr/bin/t*')] },
    syscall: 'execve',
    args: ['/usr/bin/true', 0n, 0n],
    decision: 'kill',
  },
  {
    name: 'warn rule allows and reports',
    policy: { sandbox: { write: 'allow' }, rules: [rule('warn', 'write', '{d}/etc/***')] },
    syscall: 'truncate',
    args: ['{d}/etc/passwd', 0],
    decision: 'allow',
    report: true,
  },
  {
    name: 'filter rule denies quietly',
    policy: { sandbox: { write: 'allow' }, rules: [rule('filter', 'write', '{d}/etc/***')] },
    syscall: 'truncate',
    args: ['{d}/etc/passwd', 0],
    decision: 'deny',
    errno: 'EACCES',
    report: false,
  },
  {
    name: 'last matching rule wins',
    policy: {
      sandbox: { write: 'deny' },
      rules: [rule('allow', 'write', '{d}/***'), rule('deny', 'write', '{d}/etc/***')],
    },
    syscall: 'unlink',
    args: ['{d}/etc/passwd'],
    decision: 'deny',
    rule: '{d}/etc/***',
  },
  {
    name: 'last matching rule wins (reverse)',
    policy: {
      sandbox: { write: 'deny' },
      rules: [rule('deny', 'write', '{d}/etc/***'), rule('allow', 'write', '{d}/***')],
    },
    syscall: 'unlink',
    args: ['{d}/etc/passwd'],
    decision: 'allow',
    rule: '{d}/***',
  },
  {
    name: 'violation decision killall',
    policy: { ...WRITE_TMP, options: { violation: { decision: 'killall' } } },
    syscall: 'unlink',
    args: ['{d}/etc/passwd'],
    decision: 'killall',
  },
  {
    name: 'violation decision cont: allowed, reported',
    policy: { ...WRITE_TMP, options: { violation: { decision: 'cont' } } },
    syscall: 'unlink',
    args: ['{d}/etc/passwd'],
    decision: 'allow',
    report: true,
  },
  {
    name: 'unreadable path: EFAULT',
    policy: WRITE_TMP,
    syscall: 'unlink',
    args: [0xdead0000n],
    decision: 'deny',
    errno: 'EFAULT',
  },
  {
    name: 'NULL path: EFAULT',
    policy: WRITE_TMP,
    syscall: 'unlink',
    args: [null],
    decision: 'deny',
    errno: 'EFAULT',
  },
  {
    name: 'utimensat with NULL path is the dirfd',
    policy: WRITE_TMP,
    syscall: 'utimensat',
    args: [AT_FDCWD, null, 0n, 0],
    decision: 'deny',
    errno: 'EACCES',
  },
  {
    name: 'per-process directory allowance',
    policy: { sandbox: { write: 'deny' } },
    syscall: 'openat',
    args: [AT_FDCWD, '/proc/self/attr/current', O_WRONLY, 0],
    decision: 'allow',
  },
  {
    name: 'per-process allowance off',
    policy: { sandbox: { write: 'deny' }, options: { allow: { perProcessDirectories: false } } },
    syscall: 'openat',
    args: [AT_FDCWD, '/proc/self/attr/current', O_WRONLY, 0],
    decision: 'deny',
  },
  {
    name: '/proc/self rule matches the caller',
    policy: {
      sandbox: { write: 'deny' },
      rules: [rule('allow', 'write', '/proc/self/attr/***')],
      options: { allow: { perProcessDirectories: false } },
    },
    syscall: 'openat',
    args: [AT_FDCWD, '/proc/self/attr/current', O_WRONLY, 0],
    decision: 'allow',
    rule: '/proc/self/attr/***',
  },
  {
    name: 'open_by_handle_at denied while read is on',
    policy: { sandbox: { read: 'allow' } },
    syscall: 'open_by_handle_at',
    args: [3, 0n, 0],
    decision: 'deny',
    errno: 'EPERM',
  },
  {
    name: 'open_by_handle_at allowed by option',
    policy: { sandbox: { read: 'allow' }, options: { unsafe: { openByHandleAt: true } } },
    syscall: 'open_by_handle_at',
    args: [3, 0n, 0],
    decision: 'allow',
  },
  {
    name: 'io_uring_setup denied while net is on',
    policy: { sandbox: { 'net/connect': 'allow' } },
    syscall: 'io_uring_setup',
    args: [8, 0n],
    decision: 'deny',
    errno: 'EPERM',
  },
  {
    name: 'io_uring_setup allowed when all off',
    policy: {},
    syscall: 'io_uring_setup',
    args: [8, 0n],
    decision: 'allow',
  },
  {
    name: 'mount bind source checked',
    policy: WRITE_TMP,
    syscall: 'mount',
    args: ['{d}/secret', '{d}/tmp', 'none', 0x1000, 0n],
    decision: 'deny',
  },
  {
    name: 'mount tmpfs: source not a path',
    policy: { sandbox: { write: 'deny' }, rules: [rule('allow', 'write', '{d}/tmp/***')] },
    syscall: 'mount',
    args: ['tmpfs', '{d}/tmp', 'tmpfs', 0, 0n],
    decision: 'allow',
  },
  {
    name: 'unknown syscall number fails closed',
    policy: {},
    syscall: 'no_such_call',
    args: [],
    decision: 'deny',
  },
];

describe('syscall decisions (policy, syscall, arguments, file system) -> decision and rule', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const v = run(fix(c.policy), c.syscall, c.args, c.arch);
    expect(v.decision).toBe(c.decision);
    if (c.errno !== undefined) expect(v.errno).toBe(c.errno);
    if (c.rule !== undefined)
      expect(v.decisive?.rule?.pattern ?? null).toBe(c.rule === null ? null : c.rule.replaceAll('{d}', d));
    if (c.report !== undefined) expect(v.report).toBe(c.report);
  });

  it('names the rule source (file:line)', () => {
    const v = run(fix(WRITE_TMP), 'openat', [AT_FDCWD, '{d}/tmp/x', O_WRONLY | O_CREAT, 0]);
    expect(v.decisive?.rule?.source).toEqual({ file: 'test.yaml', line: 7 });
  });

  it('a magic fd link is checked at its target', () => {
    const fd = openSync(`${d}/etc/passwd`, 'r');
    try {
      const v = run(fix(WRITE_TMP), 'openat', [AT_FDCWD, `/proc/self/fd/${fd}`, O_WRONLY, 0]);
      expect(v.decision).toBe('deny');
      expect(v.decisive?.subject).toBe(`${d}/etc/passwd`);
    } finally {
      closeSync(fd);
    }
  });

  it('fd-based fchmod is checked at the open file', () => {
    const fd = openSync(`${d}/etc/passwd`, 'r');
    try {
      expect(run(fix(WRITE_TMP), 'fchmod', [fd, 0o777]).decision).toBe('deny');
    } finally {
      closeSync(fd);
    }
  });

  it('openat2 reads its flags from open_how in tracee memory', () => {
    const how = Buffer.alloc(24);
    how.writeBigUInt64LE(BigInt(O_WRONLY), 0);
    expect(run(fix(WRITE_TMP), 'openat2', [AT_FDCWD, '{d}/etc/passwd', { bytes: how }, 24]).decision).toBe(
      'deny',
    );
    const ro = Buffer.alloc(24);
    expect(run(fix(WRITE_TMP), 'openat2', [AT_FDCWD, '{d}/etc/passwd', { bytes: ro }, 24]).decision).toBe(
      'allow',
    );
    const bad = run(fix(WRITE_TMP), 'openat2', [AT_FDCWD, '{d}/etc/passwd', 0xbad000n, 24]);
    expect([bad.decision, bad.errno]).toEqual(['deny', 'EFAULT']);
  });
});

describe('network decisions', () => {
  const inet = (ip: string, port: number) => ({
    bytes: encodeSockaddr({ family: 'inet', addr: parseIPv4(ip)!, port }),
  });
  const inet6 = (ip: string, port: number) => ({
    bytes: encodeSockaddr({ family: 'inet6', addr: parseIPv6(ip)!, port, scopeId: 0 }),
  });
  const lo = profile('loopback-only')!;
  const P: PolicyInput = { sandbox: lo.sandbox, rules: [...lo.rules], options: lo.options };

  it.each([
    ['connect 127.0.0.1:80', 'connect', [3, inet('127.0.0.1', 80), 16], 'allow', null],
    ['connect 8.8.8.8:53', 'connect', [3, inet('8.8.8.8', 53), 16], 'deny', 'ECONNREFUSED'],
    [
      'connect ::ffff:8.8.8.8 cannot slip past',
      'connect',
      [3, inet6('::ffff:8.8.8.8', 53), 28],
      'deny',
      'ECONNREFUSED',
    ],
    ['connect ::1', 'connect', [3, inet6('::1', 22), 28], 'allow', null],
    ['bind 0.0.0.0:8080', 'bind', [3, inet('0.0.0.0', 8080), 16], 'deny', 'EADDRNOTAVAIL'],
    ['connect with a short length', 'connect', [3, inet('127.0.0.1', 80), 8], 'deny', 'EINVAL'],
    ['connect, unreadable address', 'connect', [3, 0xdead000n, 16], 'deny', 'EFAULT'],
    ['sendto without address', 'sendto', [3, 0n, 0, 0, null, 0], 'allow', null],
    ['sendto 1.1.1.1', 'sendto', [3, 0n, 0, 0, inet('1.1.1.1', 53), 16], 'deny', 'ECONNREFUSED'],
    [
      'netlink is an unsupported family',
      'bind',
      [3, { bytes: Buffer.from([16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }, 12],
      'deny',
      'EAFNOSUPPORT',
    ],
  ] as const)('%s', (_n, sc, args, decision, errno) => {
    const v = run(P, sc, [...args] as Arg[]);
    expect([v.decision, v.errno]).toEqual([decision, errno]);
  });

  it('sendmsg: the address inside the msghdr (64-bit layout)', () => {
    const mem = new FakeMemory();
    const addr = encodeSockaddr({ family: 'inet', addr: parseIPv4('9.9.9.9')!, port: 53 });
    const ap = mem.put(addr);
    const msg = Buffer.alloc(56);
    msg.writeBigUInt64LE(ap, 0);
    msg.writeUInt32LE(16, 8);
    const mp = mem.put(msg);
    const compiled = compilePolicy(definePolicy(P), { arches: ['x86_64'] });
    const v = compiled.evaluator.evaluate(
      { arch: 'x86_64', syscall: 'sendmsg', args: [3n, mp, 0n, 0n, 0n, 0n], pid: process.pid },
      mem,
    );
    expect([v.decision, v.errno]).toEqual(['deny', 'ECONNREFUSED']);
  });

  it('socketcall(connect) on i386: arguments read as 32-bit words', () => {
    const mem = new FakeMemory();
    const addr = mem.put(encodeSockaddr({ family: 'inet', addr: parseIPv4('10.1.1.1')!, port: 80 }));
    const words = Buffer.alloc(12);
    words.writeUInt32LE(3, 0);
    words.writeUInt32LE(Number(addr), 4);
    words.writeUInt32LE(16, 8);
    const wp = mem.put(words);
    const compiled = compilePolicy(definePolicy(P), { arches: ['i386'] });
    const v = compiled.evaluator.evaluate(
      { arch: 'i386', syscall: 'socketcall', args: [3n, wp, 0n, 0n, 0n, 0n], pid: process.pid },
      mem,
    );
    expect([v.decision, v.errno, v.syscall]).toEqual(['deny', 'ECONNREFUSED', 'socketcall(connect)']);
    const ok = compiled.evaluator.evaluate(
      { arch: 'i386', syscall: 'socketcall', args: [1n, wp, 0n, 0n, 0n, 0n], pid: process.pid },
      mem,
    );
    expect(ok.decision).toBe('allow');
  });

  // The kind of each of the tracee's sockets, as the supervisor would read it (fd -> kind).
  const TCP = '1/6';
  const UDP = '2/17';
  const sockets = new Map<number, string | null>([
    [3, TCP],
    [4, UDP],
    [5, null],
  ]);
  const withSockets = (policy: ReturnType<typeof definePolicy>) =>
    compilePolicy(policy, {
      arches: ['x86_64'],
      context: { socketKind: (_pid, fd) => sockets.get(fd) ?? null },
    });

  it.each([
    // bound kind, connecting fd, expected decision
    [TCP, 3, 'allow'],
    [UDP, 4, 'allow'],
    // B5: a UDP bind of a port must not let a TCP socket connect to that port (a host service).
    [UDP, 3, 'deny'],
    [TCP, 4, 'deny'],
    // The connecting socket's kind cannot be told: no allowance.
    [TCP, 5, 'deny'],
    [TCP, 9, 'deny'],
  ] as const)('a successful bind on a %s socket; connect from fd %i: %s', (kind, fd, expected) => {
    const compiled = withSockets(definePolicy({ sandbox: { 'net/connect': 'deny' } }));
    const sa = { family: 'inet' as const, addr: parseIPv4('0.0.0.0')!, port: 4711 };
    const mem = new FakeMemory();
    const p = mem.put(encodeSockaddr({ ...sa, addr: parseIPv4('127.0.0.1')! }));
    const ev = {
      arch: 'x86_64',
      syscall: 'connect',
      args: [BigInt(fd), p, 16n, 0n, 0n, 0n],
      pid: process.pid,
    };
    expect(compiled.evaluator.evaluate(ev, mem).decision).toBe('deny');
    expect(compiled.checker.recordSuccessfulBind(sa, kind)).toBe(true);
    const v = compiled.evaluator.evaluate(ev, mem);
    expect(v.decision).toBe(expected);
    if (expected === 'allow') expect(v.decisive?.reason).toBe('successful-bind');
  });

  it('a bind whose socket kind is unknown records no allowance', () => {
    const compiled = withSockets(definePolicy({ sandbox: { 'net/connect': 'deny' } }));
    const sa = { family: 'inet' as const, addr: parseIPv4('127.0.0.1')!, port: 4712 };
    expect(compiled.checker.recordSuccessfulBind(sa, null)).toBe(false);
  });

  it('without a socketKind lookup the allowance never applies', () => {
    const compiled = compilePolicy(definePolicy({ sandbox: { 'net/connect': 'deny' } }), {
      arches: ['x86_64'],
    });
    const sa = { family: 'inet' as const, addr: parseIPv4('127.0.0.1')!, port: 4713 };
    const mem = new FakeMemory();
    const p = mem.put(encodeSockaddr(sa));
    expect(compiled.checker.recordSuccessfulBind(sa, TCP)).toBe(true);
    const ev = { arch: 'x86_64', syscall: 'connect', args: [3n, p, 16n, 0n, 0n, 0n], pid: process.pid };
    expect(compiled.evaluator.evaluate(ev, mem).decision).toBe('deny');
  });

  it('sendto through socketcall passes the socket of the sub-call', () => {
    const sa = { family: 'inet' as const, addr: parseIPv4('127.0.0.1')!, port: 4714 };
    const mem = new FakeMemory();
    const addr = mem.put(encodeSockaddr(sa));
    // sendto(fd, buf, len, flags, addr, addrlen) as six i386 longs.
    const argsFor = (fd: number) => {
      const b = Buffer.alloc(24);
      [fd, 0, 0, 0, Number(addr), 16].forEach((x, i) => {
        b.writeUInt32LE(x, i * 4);
      });
      return mem.put(b);
    };
    const ev = (fd: number) => ({
      arch: 'i386',
      syscall: 'socketcall',
      args: [11n, argsFor(fd), 0n, 0n, 0n, 0n],
      pid: process.pid,
    });
    const c = compilePolicy(definePolicy({ sandbox: { 'net/connect': 'deny' } }), {
      arches: ['i386'],
      context: { socketKind: (_pid, fd) => sockets.get(fd) ?? null },
    });
    expect(c.checker.recordSuccessfulBind(sa, UDP)).toBe(true);
    expect(c.evaluator.evaluate(ev(4), mem).decision).toBe('allow');
    expect(c.evaluator.evaluate(ev(3), mem).decision).toBe('deny');
  });
});

describe('magic path and exec lists through the evaluator', () => {
  it('stat("/dev/sb/...") changes the live policy; the lock ends it', () => {
    const compiled = compilePolicy(
      definePolicy({ sandbox: { write: 'deny' }, options: { magicLock: 'exec' } }),
      {
        arches: ['x86_64'],
      },
    );
    const mem = new FakeMemory();
    const ev = (syscall: string, args: bigint[]) => ({ arch: 'x86_64', syscall, args, pid: process.pid });
    const unlink = ev('unlink', [mem.str(`${d}/tmp/f`)]);
    expect(compiled.evaluator.evaluate(unlink, mem).decision).toBe('deny');
    const add = compiled.evaluator.evaluate(
      ev('stat', [mem.str(`/dev/sb/whitelist/write+${d}/tmp/***`), 0n]),
      mem,
    );
    expect([add.decision, add.errno]).toEqual(['magic', null]);
    expect(compiled.evaluator.evaluate(unlink, mem).decision).toBe('allow');
    const q = compiled.evaluator.evaluate(
      ev('newfstatat', [BigInt.asUintN(64, -100n), mem.str('/dev/sydbox/core/sandbox/read?'), 0n, 0n]),
      mem,
    );
    expect([q.decision, q.errno]).toEqual(['magic', 'ENOENT']);
    compiled.magic!.onExec(process.pid);
    const locked = compiled.evaluator.evaluate(
      ev('stat', [mem.str(`/dev/sb/whitelist/write-${d}/tmp/***`), 0n]),
      mem,
    );
    expect([locked.decision, locked.errno]).toEqual(['magic', 'ENOENT']);
    expect(compiled.evaluator.evaluate(unlink, mem).decision).toBe('allow');
  });

  it('exec/kill_if_match and resume_if_match', () => {
    const compiled = compilePolicy(
      definePolicy({
        options: { exec: { killIfMatch: ['/usr/bin/false'], resumeIfMatch: ['/usr/bin/true'] } },
      }),
      { arches: ['x86_64'] },
    );
    const mem = new FakeMemory();
    const k = compiled.evaluator.evaluate(
      { arch: 'x86_64', syscall: 'execve', args: [mem.str('/bin/false'), 0n, 0n], pid: process.pid },
      mem,
    );
    expect([k.decision, k.decisive?.reason]).toEqual(['kill', 'kill-if-match']);
    const r = compiled.evaluator.evaluate(
      { arch: 'x86_64', syscall: 'execve', args: [mem.str('/usr/bin/true'), 0n, 0n], pid: process.pid },
      mem,
    );
    expect([r.decision, r.resume]).toEqual(['allow', true]);
  });
});
