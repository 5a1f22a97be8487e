import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AT_FDCWD, PathResolver, type ResolveRequest } from '../src/resolve.js';

const resolver = new PathResolver();
const b = (s: string) => Buffer.from(s);
const str = (u: Uint8Array) => Buffer.from(u).toString();

let dir: string;

function req(
  path: string | Uint8Array | null | { errno: 'EFAULT' },
  over: Partial<ResolveRequest> = {},
): ResolveRequest {
  return {
    pid: process.pid,
    dirfd: AT_FDCWD,
    path: typeof path === 'string' ? b(path) : path,
    followLast: true,
    lastMayBeMissing: false,
    ...over,
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-policy-resolve-'));
  mkdirSync(`${dir}/a/b/c`, { recursive: true });
  writeFileSync(`${dir}/a/file`, 'x');
  symlinkSync('b/c', `${dir}/a/rel`);
  symlinkSync(`${dir}/a/file`, `${dir}/a/abs`);
  symlinkSync('../file', `${dir}/a/b/up`);
  symlinkSync('loop2', `${dir}/loop1`);
  symlinkSync('loop1', `${dir}/loop2`);
  symlinkSync('missing', `${dir}/dangling`);
  symlinkSync('/', `${dir}/toroot`);
  writeFileSync(Buffer.from(`${dir}/\xff\xfe`, 'latin1'), 'y');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('path resolution on a real tree (this process as the tracee)', () => {
  const cases: [string, Partial<ResolveRequest>, string | { errno: string }][] = [
    ['{d}/a/file', {}, '{d}/a/file'],
    ['{d}//a///file', {}, '{d}/a/file'],
    ['{d}/a/./b/../file', {}, '{d}/a/file'],
    ['{d}/a/rel', {}, '{d}/a/b/c'],
    ['{d}/a/rel/..', {}, '{d}/a/b'],
    ['{d}/a/abs', {}, '{d}/a/file'],
    ['{d}/a/abs', { followLast: false }, '{d}/a/abs'],
    ['{d}/a/b/up', {}, '{d}/a/file'],
    ['{d}/a/file/', {}, { errno: 'ENOTDIR' }],
    ['{d}/a/file/x', {}, { errno: 'ENOTDIR' }],
    ['{d}/a/b/', {}, '{d}/a/b'],
    ['{d}/a/rel/', { followLast: false }, '{d}/a/b/c'],
    ['{d}/loop1', {}, { errno: 'ELOOP' }],
    ['{d}/loop1', { followLast: false }, '{d}/loop1'],
    ['{d}/loop1/x', { followLast: false }, { errno: 'ELOOP' }],
    ['{d}/dangling', {}, { errno: 'ENOENT' }],
    ['{d}/dangling', { lastMayBeMissing: true }, '{d}/a/../missing'],
    ['{d}/nope/x', { lastMayBeMissing: true }, { errno: 'ENOENT' }],
    ['{d}/new', { lastMayBeMissing: true }, '{d}/new'],
    ['{d}/toroot/..', {}, '/'],
    ['/../../..', {}, '/'],
    ['', {}, { errno: 'ENOENT' }],
  ];
  it.each(cases)('%s %j', (p, over, expected) => {
    const r = resolver.resolve(req(p.replaceAll('{d}', dir), over));
    if (typeof expected === 'string') {
      const want = expected.replaceAll('{d}', dir).replace('/a/../missing', '/missing');
      expect(r.ok ? str(r.path) : r).toBe(want);
    } else {
      expect(r.ok ? str(r.path) : r.errno).toBe(expected.errno);
    }
  });

  it('resolves non-UTF-8 names as bytes', () => {
    const p = Buffer.concat([b(`${dir}/`), Buffer.from([0xff, 0xfe])]);
    const r = resolver.resolve(req(p));
    expect(r.ok && Buffer.compare(Buffer.from(r.path), p)).toBe(0);
  });

  it('EFAULT, ENAMETOOLONG, empty path with AT_EMPTY_PATH', () => {
    expect(resolver.resolve(req({ errno: 'EFAULT' }))).toMatchObject({ ok: false, errno: 'EFAULT' });
    expect(resolver.resolve(req(`/${'a'.repeat(4096)}`))).toMatchObject({ ok: false, errno: 'ENAMETOOLONG' });
    expect(resolver.resolve(req(`/${'a'.repeat(256)}`))).toMatchObject({ ok: false, errno: 'ENAMETOOLONG' });
    const r = resolver.resolve(req('', { emptyPath: true }));
    expect(r.ok && str(r.path)).toBe(process.cwd());
    const n = resolver.resolve(req(null, { emptyPath: true }));
    expect(n.ok && str(n.path)).toBe(process.cwd());
  });

  it('relative to a dirfd, and ENOTDIR for a file fd', () => {
    const fd = openSync(`${dir}/a`, 'r');
    const ffd = openSync(`${dir}/a/file`, 'r');
    try {
      const r = resolver.resolve(req('b/../rel', { dirfd: fd }));
      expect(r.ok && str(r.path)).toBe(`${dir}/a/b/c`);
      expect(resolver.resolve(req('x', { dirfd: ffd }))).toMatchObject({ ok: false, errno: 'ENOTDIR' });
      const e = resolver.resolve(req('', { dirfd: ffd, emptyPath: true }));
      expect(e.ok && str(e.path)).toBe(`${dir}/a/file`);
      expect(resolver.resolve(req('x', { dirfd: 987654 }))).toMatchObject({ ok: false, errno: 'EBADF' });
    } finally {
      closeSync(fd);
      closeSync(ffd);
    }
  });

  it('/proc/self is the tracee and magic fd links resolve to their target', () => {
    const fd = openSync(`${dir}/a/file`, 'r');
    try {
      const r = resolver.resolve(req(`/proc/self/fd/${fd}`));
      expect(r.ok && str(r.path)).toBe(`${dir}/a/file`);
      const t = resolver.resolve(req('/proc/thread-self/cwd'));
      expect(t.ok && str(t.path)).toBe(process.cwd());
      const l = resolver.resolve(req('/proc/self', { followLast: false }));
      expect(l.ok && str(l.path)).toBe(`/proc/${process.pid}`);
      const root = resolver.resolve(req('/proc/self/root/etc/../etc'));
      expect(root.ok && str(root.path)).toBe('/etc');
      const exe = resolver.resolve(req('/proc/thread-self/exe'));
      expect(exe.ok && str(exe.path)).toBe(realpathSync(process.execPath));
      const lf = resolver.resolve(req(`/proc/self/fd/${fd}`, { followLast: false }));
      expect(lf.ok && str(lf.path)).toBe(`/proc/${process.pid}/fd/${fd}`);
    } finally {
      closeSync(fd);
    }
  });
});

describe('a real child process as the tracee', () => {
  let child: ChildProcess;
  beforeAll(async () => {
    child = spawn('sleep', ['30'], { cwd: `${dir}/a/b`, stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
  });
  afterAll(() => {
    child.kill();
  });

  it('uses its cwd and its /proc/self', () => {
    const pid = child.pid!;
    const r = resolver.resolve(req('../file', { pid }));
    expect(r.ok && str(r.path)).toBe(`${dir}/a/file`);
    const s = resolver.resolve(req('/proc/self/cwd', { pid }));
    expect(s.ok && str(s.path)).toBe(`${dir}/a/b`);
    const me = resolver.resolve(req('/proc/self', { pid, followLast: false }));
    expect(me.ok && str(me.path)).toBe(`/proc/${pid}`);
  });

  it('a magic link to a deleted file does not resolve to a look-alike path', () => {
    // Our own fd on a deleted file: the link reads "<path> (deleted)".
    const p = `${dir}/gone`;
    writeFileSync(p, 'z');
    const fd = openSync(p, 'r');
    rmSync(p);
    writeFileSync(`${p} (deleted)`, 'decoy');
    try {
      const r = resolver.resolve(req(`/proc/self/fd/${fd}`));
      expect(r).toMatchObject({ ok: false, errno: 'EACCES' });
    } finally {
      closeSync(fd);
    }
  });
});

// --- property: same object as the kernel's openat2(RESOLVE_IN_ROOT) inside a chroot ---

const isRoot = process.getuid?.() === 0;
const O_PATH = 0x200000;
const O_NOFOLLOW = 0x20000;
const O_CLOEXEC = 0x80000;
const O_DIRECTORY = 0x10000;
const RESOLVE_IN_ROOT = 0x10;
const SYS_openat2 = 437;

const libc = koffi.load('libc.so.6');
const syscall5 = libc.func('long syscall(long, int, void *, void *, size_t)');

function kernelOpen(rootFd: number, path: Buffer, nofollow: boolean): { fd: number } | { errno: number } {
  const how = Buffer.alloc(24);
  how.writeBigUInt64LE(BigInt(O_PATH | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0)), 0);
  how.writeBigUInt64LE(BigInt(RESOLVE_IN_ROOT), 16);
  const r = Number(syscall5(SYS_openat2, rootFd, Buffer.concat([path, Buffer.of(0)]), how, 24));
  return r >= 0 ? { fd: r } : { errno: koffi.errno() };
}

const ERRNO: Record<number, string> = {
  2: 'ENOENT',
  20: 'ENOTDIR',
  40: 'ELOOP',
  36: 'ENAMETOOLONG',
  13: 'EACCES',
};

describe.runIf(isRoot)('property: resolution equals openat2(RESOLVE_IN_ROOT) in a chroot', () => {
  it('random trees and random paths (fast-check, seeded)', async () => {
    const names = ['a', 'b', 'c', 'l1', 'l2'];
    const comp = fc.constantFrom(...names, '.', '..', '', 'missing');
    const pathArb = fc
      .tuple(fc.boolean(), fc.array(comp, { maxLength: 7 }), fc.boolean())
      .map(([abs, parts, slash]) => `${abs ? '/' : ''}${parts.join('/')}${slash ? '/' : ''}`);
    const target = fc
      .tuple(fc.boolean(), fc.array(fc.constantFrom(...names, '..', '.'), { minLength: 1, maxLength: 4 }))
      .map(([abs, parts]) => `${abs ? '/' : ''}${parts.join('/')}`);
    const node = fc.oneof(
      fc.constant({ t: 'dir' as const }),
      fc.constant({ t: 'file' as const }),
      target.map((to) => ({ t: 'link' as const, to })),
    );
    // A tree: each of 8 slots (top level and under a, b) is a dir, file or link.
    const treeArb = fc.array(
      fc.tuple(fc.constantFrom('', 'a/', 'b/', 'a/b/'), fc.constantFrom(...names), node),
      {
        minLength: 3,
        maxLength: 12,
      },
    );

    let runs = 0;
    // One chroot'ed child for all runs: its root directory is emptied and refilled each run.
    const root = mkdtempSync(join(tmpdir(), 'sb-policy-prop-'));
    // A node child that chroots itself (through koffi, loaded before the chroot) and waits.
    const script = [
      "const k = require('koffi');",
      "const libc = k.load('libc.so.6');",
      "const chroot = libc.func('int chroot(const char *)');",
      "const chdir = libc.func('int chdir(const char *)');",
      "if (chroot(process.argv[1]) !== 0 || chdir('/') !== 0) process.exit(1);",
      "process.stdout.write('ok\\n');",
      'setTimeout(() => {}, 120000);',
    ].join('\n');
    const child = spawn(process.execPath, ['-e', script, root], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((res, rej) => {
      child.stdout!.once('data', () => res());
      child.once('exit', () => rej(new Error('chroot child exited')));
    });
    const rootFd = openSync(root, O_PATH | O_DIRECTORY);
    try {
      fc.assert(
        fc.property(
          treeArb,
          fc.array(fc.tuple(pathArb, fc.boolean()), { minLength: 5, maxLength: 10 }),
          (tree, paths) => {
            for (const e of readdirSync(root)) rmSync(join(root, e), { recursive: true, force: true });
            for (const [parent, name, n] of tree) {
              const p = join(root, parent, name);
              try {
                mkdirSync(join(root, parent), { recursive: true });
                if (n.t === 'dir') mkdirSync(p);
                else if (n.t === 'file') writeFileSync(p, '');
                else symlinkSync(n.to, p);
              } catch {
                // slot taken or parent is not a directory: keep the first
              }
            }
            for (const [p, nofollow] of paths) {
              runs++;
              const path = Buffer.from(p);
              const k = kernelOpen(rootFd, path, nofollow);
              const r = resolver.resolve({
                pid: child.pid!,
                dirfd: AT_FDCWD,
                path,
                followLast: !nofollow,
                lastMayBeMissing: false,
              });
              if ('fd' in k) {
                const st = fstatSync(k.fd);
                closeSync(k.fd);
                expect({ p, nofollow, ok: r.ok }).toEqual({ p, nofollow, ok: true });
                if (r.ok) expect({ p, dev: r.dev, ino: r.ino }).toEqual({ p, dev: st.dev, ino: st.ino });
              } else {
                expect({ p, nofollow, errno: r.ok ? `ok:${str(r.path)}` : r.errno }).toEqual({
                  p,
                  nofollow,
                  errno: ERRNO[k.errno] ?? String(k.errno),
                });
              }
            }
          },
        ),
        { seed: 20261129, numRuns: 300 },
      );
    } finally {
      closeSync(rootFd);
      child.kill();
      rmSync(root, { recursive: true, force: true });
    }
    expect(runs).toBeGreaterThan(1500);
  }, 120_000);
});
