import { definePolicy, type Policy, type Rule } from '@sb/policy';
import { describe, expect, it } from 'vitest';
import {
  CATEGORY_RIGHTS,
  FILE_RIGHTS,
  FS,
  type FsView,
  NET,
  rightsFor,
  SCOPE,
  translate,
} from '../src/index.js';

/** A fake file system: directories end in '/'. */
function fakeFs(entries: readonly string[]): FsView {
  const dirs = new Set(['/']);
  const files = new Set<string>();
  for (const e of entries) {
    const isDir = e.endsWith('/');
    const p = isDir ? e.slice(0, -1) : e;
    (isDir ? dirs : files).add(p);
    const parts = p.split('/');
    for (let i = 2; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return {
    kind: (p) => (dirs.has(p) ? 'dir' : files.has(p) ? 'file' : 'missing'),
    list: (d) =>
      [...dirs, ...files]
        .filter(
          (x) => x !== d && x.startsWith(d === '/' ? '/' : `${d}/`) && !x.slice(d.length + 1).includes('/'),
        )
        .map((x) => x.slice(d === '/' ? 1 : d.length + 1)),
  };
}

const FS_TREE = fakeFs([
  '/tmp/',
  '/home/a/.cache/',
  '/home/b/',
  '/home/c/.cache/',
  '/dev/null',
  '/dev/tty0',
  '/dev/tty1',
  '/dev/sda',
  '/etc/passwd',
  '/srv/data/',
  '/usr/bin/true',
]);

const allow = (category: Rule['category'], pattern: string): Rule => ({ action: 'allow', category, pattern });
const deny = (category: Rule['category'], pattern: string): Rule => ({ action: 'deny', category, pattern });
const noProc = { allow: { perProcessDirectories: false, successfulBind: false } };

const WRITE = CATEGORY_RIGHTS.write;

interface Case {
  readonly name: string;
  readonly policy: Policy;
  readonly abi: number;
  readonly handledFs: bigint;
  readonly handledNet?: bigint;
  readonly scoped?: bigint;
  /** Expected grants as 'kind path' -> access. */
  readonly paths?: Readonly<Record<string, bigint>>;
  readonly ports?: Readonly<Record<number, bigint>>;
  /** Substrings of the unenforced reasons, by subject. */
  readonly unenforced: Readonly<Record<string, string>>;
  /** null: some part needs a full path checker; else residual syscalls that must be present. */
  readonly residual: readonly string[] | null;
  readonly full?: boolean;
}

const writeTmp = definePolicy({
  sandbox: { write: 'deny' },
  rules: [allow('write', '/tmp/***')],
  options: noProc,
});

const CASES: Case[] = [
  {
    name: 'write allow-list, ABI 1: no REFER, no TRUNCATE, O_TRUNC left over',
    policy: writeTmp,
    abi: 1,
    handledFs: WRITE & rightsFor(1).fs,
    paths: { 'tree /tmp': WRITE & rightsFor(1).fs },
    unenforced: { 'write mode deny': 'chmod', O_TRUNC: 'ABI 3' },
    residual: null,
  },
  {
    name: 'write allow-list, ABI 2: REFER',
    policy: writeTmp,
    abi: 2,
    handledFs: WRITE & rightsFor(2).fs,
    paths: { 'tree /tmp': (WRITE & ~FS.TRUNCATE) | FS.REFER },
    unenforced: { 'write mode deny': 'truncate(2) needs ABI 3', O_TRUNC: 'ABI 3' },
    residual: null,
  },
  {
    name: 'write allow-list, ABI 3+: only metadata calls are left, by residual traps',
    policy: writeTmp,
    abi: 7,
    handledFs: WRITE,
    paths: { 'tree /tmp': WRITE },
    unenforced: { 'write mode deny': 'chmod' },
    residual: ['chmod', 'fchownat', 'utimensat', 'setxattr'],
  },
  {
    name: 'a deny rule inside an allowed tree cannot be enforced',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [allow('write', '/home/***'), deny('write', '/home/a/***')],
      options: noProc,
    }),
    abi: 7,
    handledFs: WRITE,
    paths: { 'tree /home': WRITE },
    unenforced: { '/home/a/***': 'denies inside /home', 'write mode deny': 'chmod' },
    residual: null,
  },
  {
    name: 'a deny rule overridden by a later allow is fine',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [deny('write', '/home/a/***'), allow('write', '/home/***')],
      options: noProc,
    }),
    abi: 7,
    handledFs: WRITE,
    paths: { 'tree /home': WRITE },
    unenforced: { 'write mode deny': 'chmod' },
    residual: ['chmod'],
  },
  {
    name: 'allow mode with deny rules: Landlock cannot subtract',
    policy: definePolicy({
      sandbox: { write: 'allow' },
      rules: [deny('write', '/etc/***')],
      options: noProc,
    }),
    abi: 7,
    handledFs: 0n,
    unenforced: { '/etc/***': 'mode allow' },
    residual: null,
  },
  {
    name: 'a wildcard in the middle expands to what exists now',
    policy: definePolicy({
      sandbox: { read: 'deny' },
      rules: [allow('read', '/home/*/.cache/***')],
      options: noProc,
    }),
    abi: 7,
    handledFs: CATEGORY_RIGHTS.read | FS.REFER,
    paths: {
      'tree /home/a/.cache': CATEGORY_RIGHTS.read,
      'tree /home/c/.cache': CATEGORY_RIGHTS.read,
      'tree /': FS.REFER,
    },
    unenforced: { 'read mode deny': 'extended attribute' },
    residual: ['getxattr', 'inotify_add_watch'],
  },
  {
    name: 'a last-component glob expands to files (file rights only)',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [allow('write', '/dev/tty*')],
      options: noProc,
    }),
    abi: 7,
    handledFs: WRITE,
    paths: { 'file /dev/tty0': WRITE & FILE_RIGHTS, 'file /dev/tty1': WRITE & FILE_RIGHTS },
    unenforced: { 'write mode deny': 'chmod' },
    residual: ['chmod'],
  },
  {
    name: '** cannot be expanded: widened to the fixed prefix, reported',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [allow('write', '/srv/**/out')],
      options: noProc,
    }),
    abi: 7,
    handledFs: WRITE,
    paths: { 'tree /srv': WRITE },
    unenforced: { '/srv/**/out': 'everything under /srv', 'write mode deny': 'chmod' },
    residual: null,
  },
  {
    name: 'a deny before a widened allow is reported',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [deny('write', '/srv/data/secret'), allow('write', '/srv/**/out')],
      options: noProc,
    }),
    abi: 7,
    handledFs: WRITE,
    unenforced: {
      '/srv/data/secret': 'widened',
      '/srv/**/out': 'everything under /srv',
      'write mode deny': 'chmod',
    },
    residual: null,
  },
  {
    name: 'literal file: a file rule; literal directory for read: READ_DIR below it, reported',
    policy: definePolicy({
      sandbox: { read: 'deny' },
      rules: [allow('read', '/etc/passwd'), allow('read', '/home')],
      options: noProc,
    }),
    abi: 7,
    handledFs: CATEGORY_RIGHTS.read | FS.REFER,
    paths: { 'file /etc/passwd': FS.READ_FILE, 'tree /home': FS.READ_DIR, 'tree /': FS.REFER },
    unenforced: { '/home': 'list every directory below', 'read mode deny': 'extended attribute' },
    residual: null,
  },
  {
    name: 'exec allow-list is fully expressible',
    policy: definePolicy({ sandbox: { exec: 'deny' }, rules: [allow('exec', '/usr/***')], options: noProc }),
    abi: 7,
    handledFs: FS.EXECUTE | FS.REFER,
    paths: { 'tree /usr': FS.EXECUTE, 'tree /': FS.REFER },
    unenforced: {},
    residual: [],
    full: true,
  },
  {
    name: 'stat cannot be restricted',
    policy: definePolicy({ sandbox: { stat: 'deny' }, rules: [allow('stat', '/usr/***')], options: noProc }),
    abi: 7,
    handledFs: 0n,
    unenforced: { 'stat mode deny': 'lookups' },
    residual: null,
  },
  {
    name: 'TCP connect before ABI 4: left to the supervisor',
    policy: definePolicy({
      sandbox: { 'net/connect': 'deny' },
      rules: [allow('net/connect', 'inet:127.0.0.1@80')],
      options: noProc,
    }),
    abi: 3,
    handledFs: 0n,
    handledNet: 0n,
    unenforced: { 'net/connect mode deny': 'only TCP', tcp: 'ABI 4' },
    residual: ['connect', 'sendto', 'sendmsg'],
  },
  {
    name: 'TCP connect from ABI 4: port rules; abstract unix scoping from ABI 6',
    policy: definePolicy({
      sandbox: { 'net/connect': 'deny' },
      rules: [allow('net/connect', 'inet:127.0.0.1@80'), allow('net/connect', 'inet6:::1@443')],
      options: noProc,
    }),
    abi: 6,
    handledFs: 0n,
    handledNet: NET.CONNECT_TCP,
    scoped: SCOPE.ABSTRACT_UNIX_SOCKET,
    ports: { 80: NET.CONNECT_TCP, 443: NET.CONNECT_TCP },
    unenforced: { 'net/connect mode deny': 'only TCP' },
    residual: ['connect'],
  },
  {
    name: 'ABI 5: no scoping yet',
    policy: definePolicy({ sandbox: { 'net/connect': 'deny' }, rules: [], options: noProc }),
    abi: 5,
    handledFs: 0n,
    handledNet: NET.CONNECT_TCP,
    scoped: 0n,
    unenforced: { 'net/connect mode deny': 'only TCP' },
    residual: ['connect'],
  },
  {
    name: 'successful-bind allowances keep TCP connect with the supervisor',
    policy: definePolicy({ sandbox: { 'net/connect': 'deny' }, rules: [] }),
    abi: 7,
    handledFs: 0n,
    handledNet: 0n,
    scoped: SCOPE.ABSTRACT_UNIX_SOCKET,
    unenforced: { 'net/connect mode deny': 'only TCP', 'allow/successful_bind': 'run time' },
    residual: ['connect'],
  },
  {
    name: 'a port range over the limit is not handled',
    policy: definePolicy({
      sandbox: { 'net/bind': 'deny' },
      rules: [allow('net/bind', 'LOOPBACK@1024-65535')],
      options: noProc,
    }),
    abi: 7,
    handledFs: 0n,
    handledNet: 0n,
    unenforced: { 'net/bind mode deny': 'only TCP', tcp: 'more than 1024' },
    residual: ['bind'],
  },
  {
    name: 'kill rules and decisions: Landlock only denies',
    policy: definePolicy({
      sandbox: { exec: 'deny' },
      rules: [allow('exec', '/usr/***'), { action: 'kill', category: 'exec', pattern: '/tmp/***' }],
      options: { ...noProc, violation: { decision: 'killall' } },
    }),
    abi: 7,
    handledFs: FS.EXECUTE | FS.REFER,
    unenforced: { '/tmp/***': 'cannot kill', 'core/violation/decision:killall': 'cannot killall' },
    residual: null,
  },
  {
    name: 'violation decision cont: nothing is denied, nothing restricted',
    policy: definePolicy({
      sandbox: { write: 'deny' },
      rules: [allow('write', '/tmp/***')],
      options: { ...noProc, violation: { decision: 'cont' } },
    }),
    abi: 7,
    handledFs: 0n,
    unenforced: {},
    residual: [],
    full: true,
  },
];

describe('translate: policy -> ruleset, per ABI', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const t = translate(c.policy, { abi: c.abi, fs: FS_TREE });
      expect(t.ruleset.handledFs).toBe(c.handledFs);
      expect(t.ruleset.handledNet).toBe(c.handledNet ?? 0n);
      expect(t.ruleset.scoped).toBe(c.scoped ?? 0n);
      // Nothing is ever granted that the ABI or the ruleset does not handle (EINVAL otherwise).
      for (const g of t.ruleset.paths) {
        expect(g.access & ~t.ruleset.handledFs).toBe(0n);
        expect(g.access & ~rightsFor(c.abi).fs).toBe(0n);
        if (g.kind === 'file') expect(g.access & ~FILE_RIGHTS).toBe(0n);
      }
      if (c.paths) {
        const got = Object.fromEntries(t.ruleset.paths.map((g) => [`${g.kind} ${g.path}`, g.access]));
        expect(got).toEqual(c.paths);
      }
      if (c.ports) {
        const got = Object.fromEntries(t.ruleset.ports.map((p) => [p.port, p.access]));
        expect(got).toEqual(c.ports);
      }
      const bySubject = new Map<string, string[]>();
      for (const u of t.unenforced) bySubject.set(u.subject, [...(bySubject.get(u.subject) ?? []), u.reason]);
      expect([...bySubject.keys()].sort()).toEqual(Object.keys(c.unenforced).sort());
      for (const [subject, reason] of Object.entries(c.unenforced))
        expect(bySubject.get(subject)!.join(' / ')).toContain(reason);
      if (c.residual === null) expect(t.residual).toBeNull();
      else {
        expect(t.residual).not.toBeNull();
        for (const s of c.residual) expect(t.residual).toContain(s);
      }
      expect(t.fullyExpressible).toBe(c.full ?? false);
    });
  }

  it('rejects a missing Landlock', () => {
    expect(() => translate(writeTmp, { abi: 0 })).toThrow(/ABI must be an integer >= 1/);
  });

  it('per-process directories: the first process only, reported as stricter', () => {
    const t = translate(definePolicy({ sandbox: { write: 'deny' } }), { abi: 7, fs: FS_TREE });
    expect(t.ruleset.paths.map((g) => g.path)).toContain('/proc/self');
    expect(t.stricter.join('\n')).toMatch(/not that of its children/);
  });
});

describe('translate for defence in depth (purpose beneath)', () => {
  it('widens instead of denying what the policy allows, and leaves exec alone', () => {
    const policy = definePolicy({
      sandbox: { write: 'deny', exec: 'deny' },
      rules: [allow('write', '/tmp/***'), allow('exec', '/usr/***')],
    });
    const t = translate(policy, { abi: 7, fs: FS_TREE, purpose: 'beneath' });
    expect(t.ruleset.handledFs & FS.EXECUTE).toBe(0n);
    expect(t.ruleset.paths.find((g) => g.path === '/proc')?.access).toBe(WRITE);
    expect(t.unenforced.map((u) => u.subject)).toEqual(
      expect.arrayContaining(['exec mode deny', 'allow/per_process_directories']),
    );
    expect(t.residual).toBeNull();
  });

  it('leaves file reads to the supervisor: exec opens programs, ld.so and #! interpreters for reading', () => {
    const policy = definePolicy({
      sandbox: { read: 'deny', exec: 'deny' },
      rules: [allow('read', '/etc/***'), allow('exec', '/usr/bin/***')],
    });
    const beneath = translate(policy, { abi: 7, fs: FS_TREE, purpose: 'beneath' });
    expect(beneath.ruleset.handledFs & FS.READ_FILE).toBe(0n);
    expect(beneath.ruleset.handledFs & FS.READ_DIR).toBe(FS.READ_DIR);
    expect(beneath.unenforced.map((u) => u.subject)).toContain('read mode deny (files)');
    const alone = translate(policy, { abi: 7, fs: FS_TREE });
    expect(alone.ruleset.handledFs & FS.READ_FILE).toBe(FS.READ_FILE);
  });
});
