/**
 * The unotify backend through the library (@sb/sandbox run): the race programs
 * of @sb/unotify's tests against a real policy, and what the backend refuses.
 * (The whole end-to-end suite also runs on it: e2e.test.ts.)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePolicy } from '@sb/policy';
import { kernelHasAttrCall } from '@sb/unotify/runtime';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaseInput, type CaseResult, run, runAsNobody, runAsRoot } from './helpers.js';

/** Tries per race run here (CI time); the 100,000-try runs are in @sb/unotify (tests and README). */
const TRIES = Number(process.env.SB_RACE_TRIES ?? 5_000);
/**
 * Tries for the races that make names: each try is two or three trapped calls, and the
 * swapping thread's renames are trapped too, so one try costs several emulations (a 5,000-try
 * run took a minute under CI load). 1,000 tries still let 2-12 names through with the
 * emulation turned off.
 */
const MAKE_TRIES = Math.max(200, Math.floor(TRIES / 5));
const RACES = fileURLToPath(new URL('../../unotify/test/fixtures/', import.meta.url));

let bin: Record<string, string>;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-races-'));
  chmodSync(dir, 0o755);
  bin = {};
  for (const name of ['race-buffer', 'race-symlink', 'race-connect', 'statcmp', 'badflags', 'attrcmp']) {
    bin[name] = join(dir, name);
    execFileSync('gcc', ['-O1', '-pthread', '-o', bin[name]!, join(RACES, `${name}.c`)]);
    chmodSync(bin[name]!, 0o755);
  }
});

/**
 * Runs a race program (`tries T opened O escapes E`) as `user`: no escape, and a race that
 * ran (some calls allowed, some denied).
 */
async function expectRaceHeld(user: string, input: CaseInput, tries: number): Promise<CaseResult> {
  const r = await (user === 'root' ? runAsRoot(input) : runAsNobody(input));
  const m = /tries (\d+) opened (\d+) escapes (\d+)/.exec(r.stdout);
  expect(m, r.stderr).not.toBeNull();
  expect(Number(m![3])).toBe(0);
  expect(Number(m![2])).toBeGreaterThan(0);
  expect(Number(m![2])).toBeLessThan(tries);
  return r;
}

function raceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-race-'));
  chmodSync(dir, 0o777);
  for (const d of ['okdir', 'nodir']) mkdirSync(join(dir, d), { mode: 0o755 });
  writeFileSync(join(dir, 'okdir', 'file'), 'public\n', { mode: 0o644 });
  writeFileSync(join(dir, 'nodir', 'file'), 'SECRET\n', { mode: 0o644 });
  symlinkSync('okdir/file', join(dir, 'link'));
  symlinkSync('nodir/file', join(dir, 'other'));
  return dir;
}

const denyNodir = (dir: string) =>
  definePolicy({
    sandbox: { read: 'allow' },
    options: { magicLock: 'on' },
    rules: [{ action: 'deny', category: 'read', pattern: `${dir}/nodir/***` }],
    // Thousands of identical reports would only measure the report channel.
    quiet: [{ category: 'read', pattern: `${dir}/nodir/***` }],
  });

describe.each(['root', 'uid 65534'])('races on the unotify backend, as %s', (user) => {
  it.each(['race-buffer', 'race-symlink'])(`%s: no denied file is opened in ${TRIES} tries`, async (prog) => {
    const dir = raceDir();
    const input = {
      command: bin[prog]!,
      args: [dir, String(TRIES)],
      cwd: dir,
      policy: [{ profile: 'default' }, { policy: denyNodir(dir) }],
      backend: 'unotify',
    };
    const r = await expectRaceHeld(user, input, TRIES);
    expect(r.violations).toEqual([]);
  });
});

// getxattr reads an attribute's value (read-data), through a pin of the checked object:
// continued, the kernel would follow DIR/link again, which may point at nodir/file by then.
describe.each(['root', 'uid 65534'])('extended attributes read on the unotify backend, as %s', (user) => {
  it(`getxattr through a swapped symlink: the denied file's value is never read in ${TRIES} tries`, async () => {
    const dir = raceDir();
    execFileSync(bin['race-symlink']!, [dir, '0', 'xattr-setup']);
    const input = {
      command: bin['race-symlink']!,
      args: [dir, String(TRIES), 'xattr'],
      cwd: dir,
      policy: [{ profile: 'default' }, { policy: denyNodir(dir) }],
      backend: 'unotify',
    };
    await expectRaceHeld(user, input, TRIES);
    rmSync(dir, { recursive: true, force: true });
  });
});

/** Two TCP servers on 127.0.0.1 that accept and close every connection; their ports. */
async function twoServers(): Promise<{ ports: [number, number]; close(): void }> {
  const servers = [0, 1].map(() =>
    createServer((c) => c.destroy()).on('error', () => {
      // A connection reset before it was accepted: nothing to serve.
    }),
  );
  await Promise.all(
    servers.map(
      (s) => new Promise<void>((res) => s.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, res)),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port) as [number, number];
  return {
    ports,
    close: () => {
      for (const s of servers) s.close();
    },
  };
}

/**
 * race-connect between ports `ok` and `no` (mode: blocking, nonblock or bind) under the default
 * profile with `no` denied for `kind` (and not reported: thousands would be).
 */
function portRace(kind: 'connect' | 'bind', [ok, no]: [number, number], mode: string) {
  return {
    command: bin['race-connect']!,
    args: [String(ok), String(no), String(TRIES), mode],
    cwd: tmpdir(),
    policy: [
      { profile: 'default' },
      { magic: 'core/trace/magic_lock:on' },
      { magic: `denylist/network/${kind}+inet:127.0.0.1@${no}` },
      { magic: `filter/network/${kind}+inet:127.0.0.1@${no}` },
    ],
    backend: 'unotify',
  };
}

// connect of an internet socket is done by the supervisor with the address the check read:
// continued, the kernel would read the sockaddr again, whose port another thread flips.
describe.each(['root', 'uid 65534'])('connect on the unotify backend, as %s', (user) => {
  it.each(['blocking', 'nonblock'])(
    `%s sockets, the port flipped by another thread: no connect reaches the denied port in ${TRIES} tries`,
    async (mode) => {
      const servers = await twoServers();
      try {
        await expectRaceHeld(user, portRace('connect', servers.ports, mode), TRIES);
      } finally {
        servers.close();
      }
    },
    120_000,
  );
});

/** Two free TCP ports on 127.0.0.1 (bound, read, closed: free again for the program). */
async function twoFreePorts(): Promise<[number, number]> {
  const s = await twoServers();
  s.close();
  await new Promise((res) => setTimeout(res, 50));
  return s.ports;
}

// bind too: made by the supervisor on a copy of the caller's socket, with the caller's credentials.
describe.each(['root', 'uid 65534'])('bind on the unotify backend, as %s', (user) => {
  it(`the port flipped by another thread: no bind gets the denied port in ${TRIES} tries`, async () => {
    await expectRaceHeld(user, portRace('bind', await twoFreePorts(), 'bind'), TRIES);
  }, 120_000);
});

describe('bind of a privileged port through the unotify supervisor', () => {
  it("is decided by the program's capabilities, not the (root) supervisor's", async () => {
    const script =
      'import socket\ns=socket.socket()\ntry:\n  s.bind(("127.0.0.1",80));print("bound")\nexcept OSError as e:\n  print(e.errno)';
    const r = await runAsRoot({
      command: 'setpriv',
      args: ['--reuid=65534', '--regid=65534', '--clear-groups', '/usr/bin/python3', '-c', script],
      cwd: tmpdir(),
      policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:on' }],
      backend: 'unotify',
    });
    expect(r.code, r.stderr).toBe(0);
    // EACCES, as natively for uid 65534 (ports below net.ipv4.ip_unprivileged_port_start, 1024 here).
    expect(r.stdout).toBe('13\n');
  });
});

describe('a blocking connect the supervisor waits for', () => {
  it('ends with EINPROGRESS when it outlives SO_SNDTIMEO, as natively (the handshake never ends)', async () => {
    // A listener whose accept queue is full: further SYNs are dropped, connects hang.
    const full = spawn(
      'python3',
      [
        '-c',
        'import socket,time\nl=socket.socket();l.bind(("127.0.0.1",0));l.listen(0)\nf=[socket.socket() for i in range(4)]\n' +
          '[s.setblocking(False) or s.connect_ex(l.getsockname()) for s in f]\ntime.sleep(0.3)\n' +
          'print(l.getsockname()[1],flush=True)\ntime.sleep(60)',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const port = await new Promise<string>((res) =>
        full.stdout!.once('data', (d: Buffer) => res(d.toString().trim())),
      );
      const script =
        'import socket,struct,sys,time\ns=socket.socket()\n' +
        's.setsockopt(socket.SOL_SOCKET,socket.SO_SNDTIMEO,struct.pack("ll",1,0))\nt=time.time()\n' +
        'try:\n  s.connect(("127.0.0.1",int(sys.argv[1])));print("connected")\n' +
        'except OSError as e:\n  print(e.errno, round(time.time()-t))';
      const native = execFileSync('python3', ['-c', script, port], { encoding: 'utf8' });
      expect(native).toBe('115 1\n');
      const r = await runAsRoot({
        command: 'python3',
        args: ['-c', script, port],
        cwd: tmpdir(),
        policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:on' }],
        backend: 'unotify',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(native);
    } finally {
      full.kill();
    }
  }, 30_000);
});

const hideNodir = (dir: string) =>
  definePolicy({
    sandbox: { stat: 'allow' },
    options: { magicLock: 'on' },
    rules: [{ action: 'deny', category: 'stat', pattern: `${dir}/nodir/***` }],
    quiet: [{ category: 'stat', pattern: `${dir}/nodir/***` }],
  });

/** The default profile, locked, with writes under DIR/nodir denied (and not reported: thousands would be). */
const denyNodirWrites = (dir: string) => [
  { profile: 'default' },
  { magic: 'core/trace/magic_lock:on' },
  { magic: `denylist/write+${dir}/nodir/***` },
  { magic: `filter/write+${dir}/nodir/***` },
];

/** DIR/link -> okdir and DIR/other -> nodir (directories), swapped by race-symlink's `make` mode. */
function makeRaceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-make-race-'));
  chmodSync(dir, 0o777);
  for (const d of ['okdir', 'nodir']) mkdirSync(join(dir, d), { mode: 0o777 });
  chmodSync(join(dir, 'okdir'), 0o777);
  chmodSync(join(dir, 'nodir'), 0o777);
  writeFileSync(join(dir, 'okdir', 'file'), 'public\n');
  // Writable by all: protected_hardlinks lets uid 65534 link it only then.
  chmodSync(join(dir, 'okdir', 'file'), 0o666);
  writeFileSync(join(dir, 'nodir', 'file'), 'SECRET\n', { mode: 0o644 });
  symlinkSync('okdir', join(dir, 'link'));
  symlinkSync('nodir', join(dir, 'other'));
  return dir;
}

// symlink, mknod, link and rename are done by the supervisor in the checked parent (pinned):
// continued, the kernel would walk DIR/link again, which may point at nodir by then.
describe.each(['root', 'uid 65534'])('names made on the unotify backend, as %s', (user) => {
  it.each(['symlink', 'mkfifo', 'link', 'rename'])(
    `%s through a swapped directory link: no name lands in the denied directory in ${MAKE_TRIES} tries`,
    async (op) => {
      const dir = makeRaceDir();
      const input = {
        command: bin['race-symlink']!,
        args: [dir, String(MAKE_TRIES), 'make', op],
        cwd: dir,
        policy: denyNodirWrites(dir),
        backend: 'unotify',
      };
      await expectRaceHeld(user, input, MAKE_TRIES);
      rmSync(dir, { recursive: true, force: true });
    },
    180_000,
  );
});

describe.each(['root', 'uid 65534'])(
  'the stat family and readlink, emulated through a pinned path, as %s',
  (user) => {
    const runAs = (input: Parameters<typeof runAsRoot>[0]) =>
      user === 'root' ? runAsRoot(input) : runAsNobody(input);

    it(`race-symlink stat: the denied file is never described in ${TRIES} tries`, async () => {
      const dir = raceDir();
      const secret = statSync(join(dir, 'nodir', 'file')).ino;
      const input = {
        command: bin['race-symlink']!,
        args: [dir, String(TRIES), 'stat', String(secret)],
        cwd: dir,
        policy: [{ profile: 'default' }, { policy: hideNodir(dir) }],
        backend: 'unotify',
      };
      await expectRaceHeld(user, input, TRIES);
    });

    it('stat, lstat, fstatat, statx, readlink: what the kernel says natively, EFAULT and EINVAL included; hidden paths ENOENT', async () => {
      const dir = raceDir();
      symlinkSync('missing', join(dir, 'dangling'));
      mkdirSync(join(dir, 'private'), { mode: 0o700 });
      writeFileSync(join(dir, 'private', 'f'), 'x');
      const allowed = [
        'okdir/file',
        'okdir',
        'link',
        'dangling',
        'nope',
        'private/f',
        `${dir}/okdir/../link`,
      ];
      const native = execFileSync(
        user === 'root' ? bin.statcmp! : 'setpriv',
        user === 'root'
          ? allowed
          : ['--reuid=65534', '--regid=65534', '--clear-groups', bin.statcmp!, ...allowed],
        { cwd: dir, encoding: 'utf8' },
      );
      const r = await runAs({
        command: bin.statcmp!,
        args: [...allowed, 'nodir/file', 'other'],
        cwd: dir,
        policy: [{ profile: 'default' }, { policy: hideNodir(dir) }],
        backend: 'unotify',
      });
      expect(r.code, r.stderr).toBe(0);
      const lines = r.stdout.trim().split('\n');
      const per = lines.length / (allowed.length + 2);
      expect(lines.slice(0, allowed.length * per).join('\n')).toBe(native.trim());
      // nodir/file and `other` (a symlink to it): hidden when followed, the link itself when not.
      const hidden = lines.slice(allowed.length * per);
      expect(
        hidden.filter((l) => l.startsWith('stat nodir/file') || l.startsWith('statx nodir/file')),
      ).toEqual(['stat nodir/file: err ENOENT', 'statx nodir/file: err ENOENT']);
      expect(hidden.find((l) => l.startsWith('stat other:'))).toBe('stat other: err ENOENT');
      expect(hidden.find((l) => l.startsWith('lstat other:'))).toMatch(/^lstat other: \d+ 120777 /);
      expect(hidden.find((l) => l.startsWith('readlink other:'))).toBe('readlink other: 10 [nodir/file]');
      expect(hidden.find((l) => l.startsWith('readlink nodir/file:'))).toBe(
        'readlink nodir/file: err ENOENT',
      );
    });
  },
);

// access(2) is answered through a pin of the checked object: continued, the kernel would
// follow DIR/link again and tell a hidden file's permission bits (EACCES) from a missing one.
describe.each(['root', 'uid 65534'])('access on the unotify backend, as %s', (user) => {
  it(`access through a swapped symlink: the hidden file is never described in ${TRIES} tries`, async () => {
    const dir = raceDir();
    chmodSync(join(dir, 'okdir', 'file'), 0o755);
    const input = {
      command: bin['race-symlink']!,
      args: [dir, String(TRIES), 'access'],
      cwd: dir,
      policy: [{ profile: 'default' }, { policy: hideNodir(dir) }],
      backend: 'unotify',
    };
    await expectRaceHeld(user, input, TRIES);
    rmSync(dir, { recursive: true, force: true });
  });
});

// chmod, truncate and the utime family are done by the supervisor through a pin of the checked
// object: continued, the kernel would follow DIR/link again, which may point at nodir/file by then.
describe.each(['root', 'uid 65534'])('attributes changed on the unotify backend, as %s', (user) => {
  const attrRace = async (op: string) => {
    const dir = raceDir();
    // The program may change both files as far as the kernel goes: only the policy stands between.
    if (user !== 'root')
      execFileSync('chown', ['65534:65534', join(dir, 'okdir', 'file'), join(dir, 'nodir', 'file')]);
    const input = {
      command: bin['race-symlink']!,
      args: [dir, String(TRIES), 'attr', op],
      cwd: dir,
      policy: denyNodirWrites(dir),
      backend: 'unotify',
    };
    await expectRaceHeld(user, input, TRIES);
    const secret = statSync(join(dir, 'nodir', 'file'));
    expect([secret.mode & 0o7777, secret.size]).toEqual([0o644, 7]);
    rmSync(dir, { recursive: true, force: true });
  };
  it.each(['chmod', 'truncate', 'utime', 'setxattr'])(
    `%s through a swapped symlink: the denied file never changes in ${TRIES} tries`,
    attrRace,
  );
  it.skipIf(!kernelHasAttrCall('setxattrat'))(
    `setxattrat (6.13) through a swapped symlink: the denied file never changes in ${TRIES} tries`,
    () => attrRace('setxattrat'),
  );
});

/** attrcmp's directory: file, sl -> file, dir/, fifo, ro (0444), closed/ (0700, root's) with closed/f. */
function attrDir(owner: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-attrcmp-'));
  mkdirSync(join(dir, 'dir'));
  mkdirSync(join(dir, 'closed'));
  writeFileSync(join(dir, 'file'), 'hello\n');
  symlinkSync('file', join(dir, 'sl'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  writeFileSync(join(dir, 'ro'), 'ro\n');
  chmodSync(join(dir, 'ro'), 0o444);
  writeFileSync(join(dir, 'closed', 'f'), '');
  const old = new Date('2001-01-01T00:00:00Z');
  for (const f of ['file', 'ro']) utimesSync(join(dir, f), old, old);
  execFileSync('chown', ['-R', '-h', `${owner}:${owner}`, dir]);
  execFileSync('chown', ['0:0', join(dir, 'closed'), join(dir, 'closed', 'f')]);
  chmodSync(join(dir, 'closed'), 0o700);
  chmodSync(dir, 0o777);
  return dir;
}

// Root, uid 65534, and root with real uid 65534 (access(2) checks with the real ids).
const ATTR_USERS = [
  { user: 'root', owner: 0, prefix: [] as string[] },
  { user: 'uid 65534', owner: 65534, prefix: [] as string[] },
  { user: 'real uid 65534, effective uid 0', owner: 0, prefix: ['setpriv', '--ruid=65534'] },
];

describe.each(ATTR_USERS)(
  'chmod, chown, truncate, utime*, xattrs (written and read), access, statfs on the unotify backend, as $user',
  ({ user, owner, prefix }) => {
    it('answer and change exactly what the kernel does natively, errors included', async () => {
      const nativeDir = attrDir(owner);
      const sandboxDir = attrDir(owner);
      const argv = [...prefix, bin.attrcmp!];
      const native = execFileSync(
        user === 'uid 65534' ? 'setpriv' : argv[0]!,
        user === 'uid 65534' ? ['--reuid=65534', '--regid=65534', '--clear-groups', ...argv] : argv.slice(1),
        { cwd: nativeDir, encoding: 'utf8' },
      );
      const input = {
        command: argv[0]!,
        args: argv.slice(1),
        cwd: sandboxDir,
        // Stat and read sandboxing on: access, statfs and the xattr reads are trapped too.
        policy: [
          { profile: 'default' },
          { magic: 'core/trace/magic_lock:on' },
          { magic: 'core/sandbox/stat:allow' },
          { magic: 'core/sandbox/read:allow' },
        ],
        backend: 'unotify',
      };
      const r = await (user === 'uid 65534' ? runAsNobody(input) : runAsRoot(input));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(native);
      // The cases that make it a comparison worth having.
      expect(native).toMatch(/^fchmodat2 sl NOFOLLOW +Operation not supported/m);
      expect(native).toMatch(/^truncate fifo +Invalid argument/m);
      expect(native).toMatch(/^utimes bad usec +Invalid argument/m);
      expect(native).toMatch(/^lsetxattr sl user.c +Operation not permitted/m);
      expect(native).toMatch(/^setxattr long name +Numerical result out of range/m);
      expect(native).toMatch(/^statfs NULL buffer +Bad address/m);
      // Reads: the size-only answer, a buffer too small, one the kernel cannot write, a symlink itself.
      expect(native).toMatch(/^getxattr size 0 +ok +3$/m);
      expect(native).toMatch(/^getxattr size 1 +Numerical result out of range/m);
      expect(native).toMatch(/^getxattr read-only buffer +Bad address/m);
      expect(native).toMatch(/^lgetxattr sl user.b +No data available/m);
      // setxattrat's struct: copied first, whole (a non-zero tail is E2BIG), then the at-flags.
      if (kernelHasAttrCall('setxattrat')) {
        expect(native).toMatch(/^setxattrat usize 24 nonzero tail +Argument list too long/m);
        expect(native).toMatch(/^setxattrat usize 24 zero tail +ok/m);
        expect(native).toMatch(/^removexattrat sl NOFOLLOW +Operation not permitted/m);
      } else expect(native).toMatch(/^setxattrat file +Function not implemented/m);
      if (user === 'uid 65534') expect(native).toMatch(/^chown file to 4242 +Operation not permitted/m);
      // access with the real uid: refused where the effective uid 0 would pass.
      if (prefix.length > 0) expect(native).toMatch(/^access closed\/f R_OK +Permission denied/m);
      if (user === 'root') expect(native).toMatch(/^access closed\/f R_OK +ok/m);
      for (const d of [nativeDir, sandboxDir]) rmSync(d, { recursive: true, force: true });
    });
  },
);

describe('unlinkat and linkat with flags the kernel refuses', () => {
  it('get its EINVAL under unotify (the emulation does not ignore them)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-badflags-'));
    const native = execFileSync(bin.badflags!, { cwd: dir, encoding: 'utf8' });
    expect(native).toMatch(
      /^linkat 0x8: Invalid argument\nunlinkat 0x8: Invalid argument\naccess bf-src: ok\n/,
    );
    const r = await runAsRoot({
      command: bin.badflags!,
      args: [],
      cwd: dir,
      policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:on' }],
      backend: 'unotify',
    });
    expect(r.stdout, r.stderr).toBe(native);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a prestarted supervisor thread', () => {
  it('enforces as usual, and neither it nor a failed launch keeps the process alive', () => {
    const script = fileURLToPath(new URL('./fixtures/unotify-prestarted.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^code 1 violations openat \/etc\/hostname\nrefused: .*no\/such\/program/);
  });
});

// The supervisor acts with the caller's capabilities only when the caller shares its user
// namespace: "root" of a namespace of its own has no power over the host's unmapped files, and a
// root supervisor must not lend it its own (it did: the write and the mkdir below succeeded).
describe.each(['ptrace', 'unotify'])(
  'a program with capabilities in a user namespace of its own (%s, sb as root)',
  (backend) => {
    it('writes no file, and makes no directory, that the kernel would refuse it', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sb-userns-caps-'));
      chmodSync(dir, 0o755);
      // Owned by a uid the namespace does not map (only 0 is mapped).
      writeFileSync(join(dir, 'file'), 'old\n', { mode: 0o600 });
      mkdirSync(join(dir, 'private'), { mode: 0o700 });
      execFileSync('chown', ['1000:1000', join(dir, 'file'), join(dir, 'private')]);
      const r = await run(
        'sh',
        ['-c', 'grep CapEff /proc/self/status; echo new >> file; mkdir private/sub; ls private'],
        {
          cwd: dir,
          backend: backend as 'unotify',
          policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:on' }],
          namespaces: {
            unshare: { user: true },
            keepCapabilities: ['DAC_OVERRIDE', 'DAC_READ_SEARCH', 'FOWNER'],
          },
        },
      );
      const out = r.stdout.toString();
      const err = r.stderr.toString();
      expect(out, err).toMatch(/^CapEff:\s+0*e\n$/);
      expect(err).toMatch(/cannot create file: Permission denied/);
      expect(err).toMatch(/cannot create directory .private\/sub.: Permission denied/);
      expect(r.violations).toEqual([]);
      expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('old\n');
      expect(existsSync(join(dir, 'private', 'sub'))).toBe(false);
      rmSync(dir, { recursive: true, force: true });
    });
  },
);

describe('what the unotify backend refuses', () => {
  it('a policy with an unlocked magic path (lock off): an error naming why, nothing runs', async () => {
    await expect(
      run('true', [], {
        backend: 'unotify',
        policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:off' }],
      }),
    ).rejects.toThrow(/magic lock is 'off'.*ptrace backend/);
  });
});

describe("@sb/unotify's README", () => {
  it('the @sb/sandbox example prints the output shown', () => {
    const readme = readFileSync(new URL('../../unotify/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('With @sb/sandbox'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'sb-unotify-readme-'));
    try {
      const file = join(dir, 'example.mjs');
      const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      writeFileSync(file, code!.replace("from '@sb/sandbox'", `from '${entry}'`));
      expect(execFileSync(process.execPath, [file], { encoding: 'utf8' })).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
