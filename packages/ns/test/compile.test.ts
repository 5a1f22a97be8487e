import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CAPABILITIES,
  compileNamespaces,
  type MountOp,
  type NamespaceOptionsInput,
  subordinateMap,
  timensOffsets,
} from '../src/index.js';
import { describeStep, fakeHost } from './helpers.js';

type Host = Parameters<typeof fakeHost>[0];
const lines = (opts: NamespaceOptionsInput, host: Host = {}) =>
  compileNamespaces(opts, fakeHost(host)).program.early!.map(describeStep);

/** `expected` appears in `actual` in this order (other lines may come between). */
function inOrder(actual: readonly string[], expected: readonly string[]): void {
  let at = 0;
  for (const e of expected) {
    const i = actual.indexOf(e, at);
    expect(i, `missing (in order) ${e}\n--- got:\n${actual.join('\n')}`).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}

const ROOT = { uid: 0, gid: 0 };
const DROP_ALL = 'capset(<8>, <24>)';

describe('compileNamespaces: namespaces, maps and forks (table)', () => {
  const cases: { name: string; opts: NamespaceOptionsInput; host?: Host; has: string[]; not?: string[] }[] = [
    {
      name: 'unprivileged net: a user namespace is added, setgroups denied, own ids mapped',
      opts: { unshare: { net: true } },
      has: [
        'unshare(0x50000000)',
        'write /proc/PID/setgroups "deny"',
        'write /proc/PID/uid_map "1000 1000 1\\n"',
        'write /proc/PID/gid_map "1000 1000 1\\n"',
        'socket(0x2, 0x80002, 0x0) -> $sock',
        'ioctl($sock, 0x8914, <40>)',
        'close($sock)',
        DROP_ALL,
      ],
      not: ['fork kill', 'fork reaper'],
    },
    {
      name: 'root net: no user namespace, no maps, capabilities still dropped',
      opts: { unshare: { net: true } },
      host: ROOT,
      has: ['unshare(0x40000000)', 'ioctl($sock, 0x8914, <40>)', DROP_ALL],
      not: ['write /proc/PID/uid_map "0 0 1\\n"', 'write /proc/PID/setgroups "deny"'],
    },
    {
      name: 'root with a user namespace keeps setgroups, maps root',
      opts: { unshare: { user: true } },
      host: ROOT,
      has: [
        'unshare(0x10000000)',
        'write /proc/PID/uid_map "0 0 1\\n"',
        'write /proc/PID/gid_map "0 0 1\\n"',
      ],
      not: ['write /proc/PID/setgroups "deny"'],
    },
    {
      name: '--uid 0 --gid 0 unprivileged',
      opts: { unshare: { user: true }, uid: 0, gid: 0 },
      has: ['write /proc/PID/uid_map "0 1000 1\\n"', 'write /proc/PID/gid_map "0 1000 1\\n"'],
    },
    {
      name: 'pid: fork into the namespace first, reaper last',
      opts: { unshare: { pid: true } },
      has: [
        'unshare(0x30000000)',
        'write /proc/PID/gid_map "1000 1000 1\\n"',
        'fork kill',
        DROP_ALL,
        'prctl(0xf, "sb-init")',
        'fork reaper',
      ],
    },
    {
      name: '--as-pid-1: no reaper',
      opts: { unshare: { pid: true }, asPid1: true },
      has: ['fork kill'],
      not: ['fork reaper'],
    },
    {
      name: 'time: offsets written before the fork that enters the namespace',
      opts: { unshare: { time: true }, timeOffsets: { monotonic: 86400, boottime: -1.5 } },
      has: [
        'unshare(0x10000080)',
        'write /proc/PID/timens_offsets "monotonic 86400 0\\nboottime -2 500000000\\n"',
        'fork kill',
      ],
      not: ['fork reaper'],
    },
    {
      name: 'cgroup try: a separate call whose refusal is ignored',
      opts: { unshare: { cgroup: 'try', ipc: true } },
      has: ['unshare(0x18000000)', 'unshare(0x2000000) ok[1,22,28,87,13] -> $unshare-cgroup'],
    },
    {
      name: 'net try: loopback only if the namespace was made',
      opts: { unshare: { net: 'try' } },
      host: ROOT,
      has: [
        'unshare(0x40000000) ok[1,22,28,87,13] -> $unshare-net',
        'skip 3 unless $unshare-net',
        'close($sock)',
      ],
    },
    {
      name: 'mount try without a root: private propagation only inside the new namespace',
      opts: { unshare: { mount: 'try' } },
      host: ROOT,
      has: [
        'unshare(0x20000) ok[1,22,28,87,13] -> $unshare-mount',
        'skip 1 unless $unshare-mount',
        'mount(0x0, "/", 0x0, 0x44000, 0x0)',
      ],
    },
    {
      name: 'user try where user namespaces are refused: none',
      opts: { unshare: { user: 'try', uts: true }, hostname: 'h' },
      host: { ...ROOT, userNamespaces: false },
      has: ['unshare(0x4000000)', 'sethostname("h", 0x1)'],
      not: ['write /proc/PID/uid_map "0 0 1\\n"'],
    },
    {
      name: 'hostname: after the root, before the capability drops',
      opts: { unshare: { uts: true }, hostname: 'box', root: [] },
      has: ['pivot_root(".", ".")', 'chdir("/home/u") ok[2,20,13,36]', 'sethostname("box", 0x3)', DROP_ALL],
    },
    {
      name: 'kept capability: bounding keeps it, ambient raised for a non-root program',
      opts: { unshare: { net: true }, keepCapabilities: ['net_admin'] },
      has: [
        'prctl(0x18, 0xb, 0x0, 0x0, 0x0)',
        'prctl(0x18, 0xd, 0x0, 0x0, 0x0)',
        DROP_ALL,
        'prctl(0x2f, 0x2, 0xc, 0x0, 0x0)',
      ],
      not: ['prctl(0x18, 0xc, 0x0, 0x0, 0x0)'],
    },
    {
      name: 'kept capability for uid 0 inside: no ambient',
      opts: { unshare: { net: true }, uid: 0, keepCapabilities: ['CAP_NET_ADMIN'] },
      has: [DROP_ALL],
      not: ['prctl(0x2f, 0x2, 0xc, 0x0, 0x0)'],
    },
    {
      name: '--disable-userns: the sandbox user namespace gets user.max_user_namespaces=0',
      opts: { unshare: { user: true }, disableUserns: true },
      has: [
        'openat(-100, "/proc/sys/user/max_user_namespaces", 0x80001) -> $userns-max',
        'write($userns-max, <2>, 0x2)',
        'close($userns-max)',
      ],
    },
    {
      name: 'subordinate ids through newuidmap/newgidmap, no setgroups deny',
      opts: { unshare: { user: true }, mapSubordinateIds: true, uid: 0, gid: 0 },
      host: { subordinate: () => ({ start: 100000, count: 65536 }) },
      has: ['run newuidmap {pid} 0 1000 1 1 100000 65536', 'run newgidmap {pid} 0 1000 1 1 100000 65536'],
      not: ['write /proc/PID/setgroups "deny"'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = lines(c.opts, c.host);
      inOrder(got, c.has);
      for (const n of c.not ?? []) expect(got).not.toContain(n);
    });
  }
});

describe('compileNamespaces: the new root (table)', () => {
  const scaffold = [
    'mount(0x0, "/", 0x0, 0x44000, 0x0)',
    'mount("tmpfs", "/tmp", "tmpfs", 0x6, "mode=0755")',
    'pivot_root("/tmp", "oldroot")',
  ];
  const finish = [
    'umount2("/oldroot", 0x2)',
    'chdir("/newroot")',
    'pivot_root(".", ".")',
    'umount2(".", 0x2)',
    'chdir("/")',
  ];
  const cases: { name: string; root: MountOp[]; host?: Host; has: string[]; not?: string[] }[] = [
    {
      name: 'ro-bind a directory: recursive bind, then read-only, nosuid, nodev recursively',
      root: [{ op: 'ro-bind', source: '/usr', dest: '/usr' }],
      has: [
        ...scaffold,
        'mkdirat(-100, "/newroot/usr", 0x1ed) ok[17]',
        'mount("/oldroot/usr", "/newroot/usr", 0x0, 0xd000, 0x0) -> $bind',
        'mount_setattr(-100, "/newroot/usr", 0x8000, <32>, 0x20)',
        ...finish,
      ],
    },
    {
      name: 'bind a file: the destination file is created first',
      root: [{ op: 'bind', source: '/etc/hosts', dest: '/etc/hosts' }],
      has: [
        'mkdirat(-100, "/newroot/etc", 0x1ed) ok[17]',
        'openat(-100, "/newroot/etc/hosts", 0x80040, 0x1a4) -> $fd',
        'close($fd)',
        'mount("/oldroot/etc/hosts", "/newroot/etc/hosts", 0x0, 0xd000, 0x0) -> $bind',
      ],
    },
    {
      name: 'bind-try of a missing source: nothing at all',
      root: [{ op: 'bind', source: '/nope', dest: '/x', try: true }],
      has: finish,
      not: ['mkdirat(-100, "/newroot/x", 0x1ed) ok[17]'],
    },
    {
      name: 'bind-try of a present source: ENOENT at run time skips the restrictions',
      root: [{ op: 'dev-bind', source: '/usr', dest: '/u', try: true }],
      has: [
        'mount("/oldroot/usr", "/newroot/u", 0x0, 0xd000, 0x0) ok[2] -> $bind',
        'skip 1 unless $bind',
        'mount_setattr(-100, "/newroot/u", 0x8000, <32>, 0x20)',
      ],
    },
    {
      name: 'relative source resolves against the caller cwd',
      root: [{ op: 'bind', source: 'src', dest: '/src' }],
      host: { files: { '/home/u/src': 'dir' } },
      has: ['mount("/oldroot/home/u/src", "/newroot/src", 0x0, 0xd000, 0x0) -> $bind'],
    },
    {
      name: 'without mount_setattr: MS_REMOUNT of each host mount below the source, keeping its flags',
      root: [{ op: 'ro-bind', source: '/usr', dest: '/usr' }],
      host: {
        mountSetattr: false,
        mounts: [
          { path: '/', flags: 0x200000 },
          { path: '/usr/local', flags: 0x200000 | 0x8 },
        ],
      },
      has: [
        'mount(0x0, "/newroot/usr", 0x0, 0x209027, 0x0)',
        'mount(0x0, "/newroot/usr/local", 0x0, 0x20902f, 0x0)',
      ],
    },
    {
      name: 'tmpfs with size and mode; dir with mode; symlink; chmod',
      root: [
        { op: 'tmpfs', dest: '/tmp', size: 1048576, mode: 0o1777 },
        { op: 'dir', dest: '/a/b', mode: 0o700 },
        { op: 'symlink', target: 'usr/bin', dest: '/bin' },
        { op: 'chmod', dest: '/a', mode: 0o755 },
      ],
      has: [
        'mount("tmpfs", "/newroot/tmp", "tmpfs", 0x6, "mode=01777,size=1048576")',
        'mkdirat(-100, "/newroot/a", 0x1ed) ok[17]',
        'mkdirat(-100, "/newroot/a/b", 0x1ed) ok[17]',
        'fchmodat(-100, "/newroot/a/b", 0x1c0, 0x0)',
        'symlinkat("usr/bin", -100, "/newroot/bin")',
        'fchmodat(-100, "/newroot/a", 0x1ed, 0x0)',
      ],
    },
    {
      name: 'proc: nosuid,nodev,noexec and its dangerous files read-only',
      root: [{ op: 'proc', dest: '/proc' }],
      has: [
        'mount("proc", "/newroot/proc", "proc", 0xe, 0x0)',
        'mount("/newroot/proc/sys", "/newroot/proc/sys", 0x0, 0xd000, 0x0) ok[2] -> $proc',
        'skip 1 unless $proc',
        'mount_setattr(-100, "/newroot/proc/sys", 0x8000, <32>, 0x20)',
      ],
    },
    {
      name: 'dev: tmpfs, host device nodes bound, pts, shm, links',
      root: [{ op: 'dev', dest: '/dev' }],
      has: [
        'mount("tmpfs", "/newroot/dev", "tmpfs", 0x6, "mode=0755")',
        'mount("/oldroot/dev/null", "/newroot/dev/null", 0x0, 0x9000, 0x0)',
        'mount("/oldroot/dev/tty", "/newroot/dev/tty", 0x0, 0x9000, 0x0)',
        'symlinkat("/proc/self/fd", -100, "/newroot/dev/fd")',
        'mount("tmpfs", "/newroot/dev/shm", "tmpfs", 0x6, "mode=01777")',
        'mount("devpts", "/newroot/dev/pts", "devpts", 0xa, "newinstance,ptmxmode=0666,mode=620")',
        'symlinkat("pts/ptmx", -100, "/newroot/dev/ptmx")',
      ],
    },
    {
      name: 'file from content, read-only: written, then bound onto itself read-only',
      root: [{ op: 'file', dest: '/etc/motd', content: 'hello\n', readOnly: true }],
      has: [
        'openat(-100, "/newroot/etc/motd", 0x80241, 0x124) -> $file',
        'write($file, <6>, 0x6)',
        'close($file)',
        'fchmodat(-100, "/newroot/etc/motd", 0x124, 0x0)',
        'mount("/newroot/etc/motd", "/newroot/etc/motd", 0x0, 0x9000, 0x0)',
        'mount_setattr(-100, "/newroot/etc/motd", 0x0, <32>, 0x20)',
      ],
    },
    {
      name: 'remount-ro and mqueue',
      root: [
        { op: 'mqueue', dest: '/dev/mqueue' },
        { op: 'remount-ro', dest: '/' },
      ],
      has: [
        'mount("mqueue", "/newroot/dev/mqueue", "mqueue", 0xe, 0x0)',
        'mount_setattr(-100, "/newroot", 0x0, <32>, 0x20)',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = lines({ unshare: { user: true, pid: true }, root: c.root }, c.host);
      inOrder(got, c.has);
      for (const n of c.not ?? []) expect(got).not.toContain(n);
    });
  }
});

describe('compileNamespaces: bad input is named before anything starts', () => {
  const cases: { opts: NamespaceOptionsInput; host?: Host; error: RegExp }[] = [
    {
      opts: { root: [{ op: 'bind', source: '/nope', dest: '/x' }] },
      error: /--bind \/nope \/x: cannot use the source \/nope: it does not exist \(ENOENT\)/,
    },
    {
      opts: { root: [{ op: 'bind', source: '/usr', dest: 'usr' }] },
      error: /root\.0\.dest: destination must be an absolute path/,
    },
    { opts: { hostname: 'x' }, error: /--hostname needs a new UTS namespace/ },
    { opts: { uid: 5 }, host: ROOT, error: /--uid\/--gid need a user namespace/ },
    {
      opts: { unshare: { user: true }, keepCapabilities: ['CAP_NOPE'] },
      error: /unknown capability CAP_NOPE/,
    },
    {
      opts: { unshare: { net: true }, keepCapabilities: ['bpf'] },
      host: { capLastCap: 38 },
      error: /capability 39 is unknown to this kernel/,
    },
    { opts: { asPid1: true }, error: /--as-pid-1 needs a new pid namespace/ },
    {
      opts: { unshare: { user: true }, root: [{ op: 'proc', dest: '/proc' }] },
      host: ROOT,
      error: /--proc in a user namespace needs a new pid namespace/,
    },
    { opts: { timeOffsets: { monotonic: 1 } }, error: /time offsets need a new time namespace/ },
    {
      opts: { unshare: { net: true }, mapSubordinateIds: true },
      error: /no range for uid 1000 in \/etc\/subuid/,
    },
    { opts: { disableUserns: true }, host: ROOT, error: /--disable-userns needs a user namespace/ },
    {
      opts: { unshare: { bogus: true } } as unknown as NamespaceOptionsInput,
      error: /namespace options: unshare/,
    },
    { opts: { root: [{ op: 'tmpfs', dest: '/t', mode: 0o17777 }] }, error: /a mode is at most 07777/ },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.opts)} -> ${c.error.source}`, () => {
      expect(() => compileNamespaces(c.opts, fakeHost(c.host))).toThrow(c.error);
    });
  }
});

describe('helpers', () => {
  it.each([
    [{ monotonic: 0 }, 'monotonic 0 0\n'],
    [{ boottime: 3.25 }, 'boottime 3 250000000\n'],
    [{ monotonic: -0.000000001 }, 'monotonic -1 999999999\n'],
    [{ monotonic: -7 }, 'monotonic -7 0\n'],
  ])('timensOffsets(%j)', (o, text) => {
    expect(timensOffsets(o)).toBe(text);
  });
  it.each([
    [0, 1000, { start: 100000, count: 65536 }, [0, 1000, 1, 1, 100000, 65536]],
    [1000, 1000, { start: 100000, count: 65536 }, [1000, 1000, 1, 0, 100000, 1000, 1001, 101000, 64536]],
    [70000, 1000, { start: 100000, count: 65536 }, [70000, 1000, 1, 0, 100000, 65536]],
  ])('subordinateMap(%i, %i, %j)', (inside, outside, sub, out) => {
    expect(subordinateMap(inside, outside, sub)).toEqual(out);
  });
  it('the capability table matches the kernel header (dense, 41 names up to CAP_CHECKPOINT_RESTORE)', () => {
    expect(Object.keys(CAPABILITIES)).toHaveLength(41);
    expect(CAPABILITIES.CAP_SYS_ADMIN).toBe(21);
    expect(CAPABILITIES.CAP_CHECKPOINT_RESTORE).toBe(40);
  });
});

describe('properties of every compiled program (fast-check, seeded)', () => {
  const path = fc.constantFrom('/a', '/a/b', '/usr', '/tmp', '/etc/hosts', '/x/y/z');
  const op: fc.Arbitrary<MountOp> = fc.oneof(
    fc.record({
      op: fc.constantFrom('bind', 'ro-bind', 'dev-bind') as fc.Arbitrary<'bind'>,
      source: fc.constantFrom('/usr', '/etc/hosts', '/nope'),
      dest: path,
      try: fc.constant(true),
    }),
    fc.record({ op: fc.constant('tmpfs' as const), dest: path }),
    fc.record({
      op: fc.constantFrom('proc', 'dev', 'mqueue', 'remount-ro') as fc.Arbitrary<'proc'>,
      dest: path,
    }),
    fc.record({ op: fc.constant('dir' as const), dest: path, mode: fc.integer({ min: 0, max: 0o7777 }) }),
    fc.record({ op: fc.constant('symlink' as const), target: fc.constant('t'), dest: path }),
    fc.record({ op: fc.constant('file' as const), dest: path, content: fc.string(), readOnly: fc.boolean() }),
  );
  const opts = fc.record({
    unshare: fc.record({
      user: fc.constantFrom(true, false, 'try' as const),
      pid: fc.boolean(),
      net: fc.constantFrom(true, false, 'try' as const),
      ipc: fc.boolean(),
      cgroup: fc.constantFrom(true, false, 'try' as const),
    }),
    root: fc.option(fc.array(op, { maxLength: 8 }), { nil: undefined }),
  });
  it('saved names exist before use, skips stay inside the program, the host root is never named after it is detached', () => {
    fc.assert(
      fc.property(opts, fc.boolean(), fc.boolean(), (o, root, setattr) => {
        const host = fakeHost({ ...(root ? ROOT : {}), mountSetattr: setattr });
        // proc in a user namespace needs a pid namespace (an error case of its own, tested above).
        const input = {
          ...o,
          unshare: { ...o.unshare, pid: o.unshare.pid || (o.root ?? []).some((r) => r.op === 'proc') },
        };
        const steps = compileNamespaces(input as NamespaceOptionsInput, host).program.early!;
        const saved = new Set<string>();
        let detached = false;
        for (const [i, s] of steps.entries()) {
          if (s.kind === 'skip-unless-ok') {
            expect(saved.has(s.result)).toBe(true);
            expect(s.count).toBeGreaterThan(0);
            expect(i + s.count).toBeLessThan(steps.length);
          }
          if (s.kind !== 'syscall') continue;
          for (const a of s.args)
            if (typeof a === 'object' && 'result' in a) expect(saved.has(a.result)).toBe(true);
          if (s.save) saved.add(s.save);
          if (s.step === 'detach the old root') detached = true;
          else if (detached)
            expect(JSON.stringify(s.args, (_k, v) => (typeof v === 'bigint' ? 0 : v))).not.toContain(
              '/oldroot',
            );
          // Every path a mount step writes to is inside the new root or the scaffold.
          if (s.name === 'mount' && !detached && typeof s.args[1] === 'object' && 'str' in s.args[1]) {
            expect(s.args[1].str).toMatch(/^(\/|\/tmp|newroot|\/newroot(\/.*)?)$/);
          }
        }
        // Capabilities are always dropped where there are any.
        if (root || steps.some((s) => s.kind === 'write-proc'))
          expect(steps.some((s) => s.kind === 'syscall' && s.name === 'capset')).toBe(true);
      }),
      { seed: 20261129, numRuns: 300 },
    );
  });
});
