/**
 * Real programs under real policies, as root and (where marked) as uid 65534:
 * each allowed thing works, each denied thing fails with the program's own
 * error message for the expected errno and produces a report.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicySource, Violation } from '../src/index.js';
import { type CaseInput, type CaseResult, runAsNobody, runAsRoot, workDir } from './helpers.js';

let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((s) => s.end('hello from the server\n'));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  port = (server.address() as { port: number }).port;
});
afterAll(() => {
  server.close();
  for (const p of ['/etc/sb-e2e-denied', '/etc/sb-e2e-node', '/etc/sb-e2e-py', '/usr/sb-e2e'])
    rmSync(p, { force: true, recursive: true });
});

interface Expected {
  code: number;
  stdout?: RegExp;
  stderr?: RegExp;
  /** Exactly these reports (fields compared), in order; [] = none. */
  violations: Partial<Pick<Violation, 'syscall' | 'subject' | 'category' | 'decision' | 'errno'>>[];
  /** Runs after the case, in its work dir. */
  check?: (dir: string) => void;
}

interface Case {
  name: string;
  /** Both root and uid 65534. */
  unprivileged: boolean;
  setup?: (dir: string) => void;
  command: (dir: string) => string[];
  policy?: (dir: string) => PolicySource[];
  expect: (dir: string) => Expected;
}

const C_PROJECT = {
  'hello.c': '#include <stdio.h>\nint main(void) { puts("hello from make"); return 0; }\n',
  Makefile:
    'hello: hello.o\n\t$(CC) -o $@ hello.o\nhello.o: hello.c\n\t$(CC) -c -o $@ hello.c\ninstall: hello\n\tcp hello /usr/local/bin/sb-e2e-hello\n',
};

const protectedDir = (dir: string) => {
  mkdirSync(join(dir, 'protected'));
  writeFileSync(join(dir, 'protected', 'keep'), 'keep\n');
};
const withProtected = (dir: string): PolicySource[] => [
  { profile: 'default' },
  { magic: `denylist/write+${dir}/protected/***` },
];

const CASES: Case[] = [
  {
    name: 'coreutils: cat, ls, cp, touch, rm in the working directory',
    unprivileged: true,
    command: () => ['sh', '-c', 'echo hi > a && cat a && cp a b && touch c && rm a && ls'],
    expect: () => ({ code: 0, stdout: /^hi\nb\nc\n$/, violations: [] }),
  },
  {
    name: 'coreutils: cp into /etc is denied with EACCES',
    unprivileged: true,
    command: () => ['cp', '/etc/hostname', '/etc/sb-e2e-denied'],
    expect: () => ({
      code: 1,
      stderr: /cp: cannot create regular file '\/etc\/sb-e2e-denied': Permission denied/,
      violations: [
        {
          syscall: 'openat',
          subject: '/etc/sb-e2e-denied',
          category: 'write',
          decision: 'deny',
          errno: 'EACCES',
        },
      ],
    }),
  },
  {
    name: 'coreutils: rm and touch in a denied directory fail, the file stays',
    unprivileged: true,
    setup: protectedDir,
    policy: withProtected,
    command: () => ['sh', '-c', 'rm protected/keep; touch protected/new; cat protected/keep'],
    expect: (dir) => ({
      code: 0,
      stdout: /^keep\n$/,
      stderr:
        /rm: cannot remove 'protected\/keep': Permission denied\ntouch: cannot touch 'protected\/new': Permission denied/,
      violations: [
        { syscall: 'unlinkat', subject: `${dir}/protected/keep`, decision: 'deny', errno: 'EACCES' },
        { syscall: 'openat', subject: `${dir}/protected/new`, decision: 'deny', errno: 'EACCES' },
      ],
      check: (d) => expect(existsSync(join(d, 'protected', 'keep'))).toBe(true),
    }),
  },
  {
    name: 'a shell script: loops, mkdir, ln, mv work; mkdir in /usr is denied',
    unprivileged: true,
    setup: (dir) =>
      writeFileSync(
        join(dir, 'script.sh'),
        '#!/bin/sh\nset -e\nmkdir -p out\nfor i in 1 2 3; do echo $i > out/$i; done\nln -s out/1 link\nmv out/3 out/three\ncat link out/three\nmkdir /usr/sb-e2e || echo "mkdir failed"\necho done\n',
        { mode: 0o755 },
      ),
    command: () => ['./script.sh'],
    expect: () => ({
      code: 0,
      stdout: /^1\n3\nmkdir failed\ndone\n$/,
      stderr: /mkdir: cannot create directory '\/usr\/sb-e2e': Permission denied/,
      violations: [{ syscall: 'mkdir', subject: '/usr/sb-e2e', category: 'write', decision: 'deny' }],
    }),
  },
  {
    name: 'make builds a C project; make install outside the tree is denied',
    unprivileged: false,
    setup: (dir) => {
      for (const [f, t] of Object.entries(C_PROJECT)) writeFileSync(join(dir, f), t);
    },
    command: () => ['sh', '-c', 'make -s CC=gcc && ./hello && make -s install'],
    expect: () => ({
      code: 2,
      stdout: /^hello from make\n$/,
      stderr: /cp: cannot create regular file '\/usr\/local\/bin\/sb-e2e-hello': Permission denied/,
      violations: [{ subject: '/usr/local/bin/sb-e2e-hello', category: 'write', decision: 'deny' }],
      check: (d) => expect(existsSync(join(d, 'hello.o'))).toBe(true),
    }),
  },
  {
    name: 'git init && git commit',
    unprivileged: false,
    command: () => [
      'sh',
      '-c',
      'git init -q . && echo x > f && git add f && git -c user.name=sb -c user.email=sb@example.org commit -qm first && git log --format=%s',
    ],
    expect: () => ({ code: 0, stdout: /^first\n$/, violations: [] }),
  },
  {
    name: 'node -e: a write in the tree works, one in /etc fails with EACCES',
    unprivileged: true,
    command: () => [
      process.execPath,
      '-e',
      "const fs=require('fs');fs.writeFileSync('ok.txt','x');try{fs.writeFileSync('/etc/sb-e2e-node','x')}catch(e){console.log(e.code, e.message)}",
    ],
    expect: () => ({
      code: 0,
      stdout: /^EACCES EACCES: permission denied, open '\/etc\/sb-e2e-node'\n$/,
      violations: [{ subject: '/etc/sb-e2e-node', category: 'write', decision: 'deny', errno: 'EACCES' }],
      check: (d) => expect(existsSync(join(d, 'ok.txt'))).toBe(true),
    }),
  },
  {
    name: 'python3 -c: PermissionError for /etc, a local file works',
    unprivileged: true,
    command: () => [
      'python3',
      '-c',
      "import os\nos.mkdir('d')\nopen('d/x','w').write('x')\ntry:\n  open('/etc/sb-e2e-py','w')\nexcept OSError as e:\n  print(e)",
    ],
    expect: () => ({
      code: 0,
      stdout: /^\[Errno 13\] Permission denied: '\/etc\/sb-e2e-py'\n$/,
      violations: [{ subject: '/etc/sb-e2e-py', decision: 'deny', errno: 'EACCES' }],
    }),
  },
  {
    name: 'TCP: connect to a loopback server works, to another address is refused',
    unprivileged: true,
    command: () => [
      'python3',
      '-c',
      `import socket\ns=socket.create_connection(('127.0.0.1',${port}))\nprint(s.recv(100).decode().strip())\ntry:\n  socket.create_connection(('192.0.2.1',80),timeout=5)\nexcept OSError as e:\n  print(e)`,
    ],
    expect: () => ({
      code: 0,
      stdout: /^hello from the server\n\[Errno 111\] Connection refused\n$/,
      violations: [
        {
          syscall: 'connect',
          subject: 'inet:192.0.2.1@80',
          category: 'net/connect',
          decision: 'deny',
          errno: 'ECONNREFUSED',
        },
      ],
    }),
  },
  {
    name: 'successful bind: a port-0 bind becomes connectable, other ports are not',
    unprivileged: true,
    // Locked: the unotify backend refuses magic commands that stay open (this case is not about them).
    policy: () => [
      { magic: 'core/sandbox/network:deny' },
      { magic: 'allowlist/network/bind+LOOPBACK@0' },
      { magic: 'core/trace/magic_lock:on' },
    ],
    command: () => [
      'python3',
      '-c',
      "import socket\nl=socket.socket()\nl.bind(('127.0.0.1',0))\nl.listen()\nc=socket.create_connection(l.getsockname())\nprint('connected')\ntry:\n  socket.create_connection(('127.0.0.1',1))\nexcept OSError as e:\n  print(e)",
    ],
    expect: () => ({
      code: 0,
      stdout: /^connected\n\[Errno 111\] Connection refused\n$/,
      violations: [{ syscall: 'connect', subject: 'inet:127.0.0.1@1', decision: 'deny' }],
    }),
  },
  {
    name: 'fail closed: an unreadable path or address argument is denied with EFAULT',
    unprivileged: true,
    command: () => [
      'python3',
      '-c',
      'import ctypes\nlibc=ctypes.CDLL(None, use_errno=True)\nprint(libc.mkdir(ctypes.c_void_p(16), 0o755), ctypes.get_errno())\nprint(libc.connect(0, ctypes.c_void_p(16), 16), ctypes.get_errno())',
    ],
    expect: () => ({ code: 0, stdout: /^-1 14\n-1 14\n$/, violations: [] }),
  },
  {
    name: 'exit status: the program code',
    unprivileged: true,
    command: () => ['sh', '-c', 'exit 7'],
    expect: () => ({ code: 7, violations: [] }),
  },
  {
    name: 'exit status: 128 + signal',
    unprivileged: true,
    command: () => ['sh', '-c', 'kill -TERM $$'],
    expect: () => ({ code: 143, violations: [] }),
  },
  {
    name: 'a sydbox-1 magic-command file runs unchanged',
    unprivileged: true,
    setup: (dir) =>
      copyFileSync(
        fileURLToPath(new URL('./fixtures/sydbox-build.syd-1', import.meta.url)),
        join(dir, 'build.syd-1'),
      ),
    policy: (dir) => [{ file: join(dir, 'build.syd-1') }],
    command: (dir) => [
      'sh',
      '-c',
      `echo ok > /tmp/$(basename ${dir}).out && cat /tmp/$(basename ${dir}).out && touch /etc/sb-e2e-denied`,
    ],
    expect: (dir) => ({
      code: 1,
      stdout: /^ok\n$/,
      stderr: /touch: cannot touch '\/etc\/sb-e2e-denied': Permission denied/,
      violations: [{ subject: '/etc/sb-e2e-denied', category: 'write', decision: 'deny' }],
      check: () => rmSync(`/tmp/${dir.split('/').pop()}.out`, { force: true }),
    }),
  },
  {
    name: 'core/violation/decision:killall with exit_code',
    unprivileged: false,
    policy: () => [
      { profile: 'default' },
      { magic: 'core/violation/decision:killall' },
      { magic: 'core/violation/exit_code:42' },
    ],
    command: () => ['sh', '-c', 'touch /etc/sb-e2e-denied; echo survived'],
    expect: () => ({
      code: 42,
      violations: [{ subject: '/etc/sb-e2e-denied', decision: 'killall' }],
      check: () => expect(existsSync('/etc/sb-e2e-denied')).toBe(false),
    }),
  },
  {
    name: 'exec/kill_if_match kills the matching program',
    unprivileged: false,
    policy: () => [{ profile: 'default' }, { magic: 'exec/kill_if_match+/usr/bin/id' }],
    command: () => ['sh', '-c', 'id; echo "id: $?"'],
    expect: () => ({
      code: 0,
      stdout: /^id: 137\n$/,
      violations: [{ syscall: 'execve', subject: '/usr/bin/id', decision: 'kill' }],
    }),
  },
  {
    name: 'exec/resume_if_match stops checking the matching program',
    unprivileged: false,
    setup: protectedDir,
    policy: (dir) => [...withProtected(dir), { magic: 'exec/resume_if_match+/usr/bin/touch' }],
    command: () => ['sh', '-c', 'touch protected/by-touch; echo x > protected/by-sh'],
    expect: (dir) => ({
      code: 2,
      stderr: /cannot create protected\/by-sh: Permission denied/,
      violations: [{ subject: `${dir}/protected/by-sh`, decision: 'deny' }],
      check: (d) => {
        expect(existsSync(join(d, 'protected', 'by-touch'))).toBe(true);
        expect(existsSync(join(d, 'protected', 'by-sh'))).toBe(false);
      },
    }),
  },
  {
    // The kernel refuses "." and ".." as the last name before any lookup; the resolved name
    // (the directory itself) must not be what an emulating backend removes or renames.
    name: 'rmdir ., rmdir ../f/.., mv . and mkdir . fail as the kernel says; nothing is removed',
    unprivileged: true,
    command: () => [
      'sh',
      '-c',
      'mkdir -p e/f && cd e/f && rmdir .; rmdir ../f/..; mv . ../g; mkdir .; cd ../.. && ls -d e/f',
    ],
    expect: () => ({
      code: 0,
      stdout: /^e\/f\n$/,
      stderr:
        /rmdir: failed to remove '\.': Invalid argument\nrmdir: failed to remove '\.\.\/f\/\.\.': Directory not empty\nmv: cannot move '\.' to '\.\.\/g': Device or resource busy\nmkdir: cannot create directory .\.': File exists\n$/,
      violations: [],
    }),
  },
  {
    // allow/per_process_directories: the launched program had no spawn event, so its own
    // directory was denied under ptrace, and unotify denied every process's.
    name: "per-process directories: the program's own /proc/PID and its child's are writable, init's is not",
    unprivileged: true,
    command: () => [
      'sh',
      '-c',
      "printf renamed > /proc/$$/comm && cat /proc/$$/comm && sh -c 'printf child > /proc/$$/comm && cat /proc/$$/comm'; echo x > /proc/1/comm",
    ],
    expect: () => ({
      code: 2,
      stdout: /^renamed\nchild\n$/,
      stderr: /cannot create \/proc\/1\/comm: Permission denied/,
      violations: [
        { syscall: 'openat', subject: '/proc/1/comm', category: 'write', decision: 'deny', errno: 'EACCES' },
      ],
    }),
  },
  {
    name: 'the default profile locks the magic path',
    unprivileged: false,
    command: () => [
      'sh',
      '-c',
      'test -e /dev/sb/core/sandbox/write:off; echo "magic: $?"; touch /etc/sb-e2e-denied',
    ],
    expect: () => ({
      code: 1,
      stdout: /^magic: 1\n$/,
      violations: [{ subject: '/etc/sb-e2e-denied', decision: 'deny' }],
    }),
  },
  {
    name: 'an unlocked magic path changes the policy at run time (sydbox-1)',
    unprivileged: false,
    setup: protectedDir,
    policy: (dir) => [...withProtected(dir), { magic: 'core/trace/magic_lock:off' }],
    command: (dir) => [
      'sh',
      '-c',
      `test -e /dev/sydbox/denylist/write-${dir}/protected/***; echo "magic: $?"; touch protected/now-ok`,
    ],
    expect: () => ({
      code: 0,
      stdout: /^magic: 0\n$/,
      violations: [],
      check: (d) => expect(existsSync(join(d, 'protected', 'now-ok'))).toBe(true),
    }),
  },
];

function verify(r: CaseResult, e: Expected, dir: string): void {
  const ctx = `stdout: ${r.stdout}\nstderr: ${r.stderr}\nviolations: ${JSON.stringify(r.violations, null, 1)}`;
  expect(r.code, ctx).toBe(e.code);
  if (e.stdout) expect(r.stdout, ctx).toMatch(e.stdout);
  if (e.stderr) expect(r.stderr, ctx).toMatch(e.stderr);
  expect(r.violations.length, ctx).toBe(e.violations.length);
  e.violations.forEach((want, i) => {
    expect(r.violations[i], ctx).toMatchObject(want);
    expect(r.violations[i]!.pid).toBeGreaterThan(0);
  });
  e.check?.(dir);
}

function input(c: Case, dir: string): CaseInput {
  const [command, ...args] = c.command(dir);
  return { command: command!, args, cwd: dir, ...(c.policy ? { policy: c.policy(dir) } : {}) };
}

describe('end to end, as root', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = workDir(false);
    c.setup?.(dir);
    verify(await runAsRoot(input(c, dir)), c.expect(dir), dir);
  });
});

// The fallback for kernels without seccomp filters: no filter is installed, every
// syscall stops, and the tracer runs the compiled filter itself. Same cases, same
// expected decisions and reports.
describe('end to end, syscall-stop tracing (SB_FORCE_SYSCALL_STOPS=1), as root', () => {
  beforeAll(() => {
    process.env.SB_FORCE_SYSCALL_STOPS = '1';
  });
  afterAll(() => {
    delete process.env.SB_FORCE_SYSCALL_STOPS;
  });
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = workDir(false);
    c.setup?.(dir);
    verify(await runAsRoot(input(c, dir)), c.expect(dir), dir);
  });
});

// The seccomp user-notification backend (@sb/unotify): the same cases, the same decisions
// and reports, except the few features that need the tracer's process events (listed with
// why in @sb/unotify's README; the backend refuses the unlocked magic path itself).
const UNOTIFY_DIFFERS: Readonly<Record<string, string>> = {
  'exec/resume_if_match stops checking the matching program':
    'resume needs the exec event on the deciding thread',
  'an unlocked magic path changes the policy at run time (sydbox-1)': 'refused: magic locks follow fork/exec',
  'a sydbox-1 magic-command file runs unchanged': "refused: the file's lock is off (sydbox's default)",
};

// Its supervisor on a thread of its own (the library's default) and on the main thread (the CLI's).
describe.each([
  ['root', 'thread'],
  ['uid 65534', 'thread'],
  ['root', 'main-thread'],
  ['uid 65534', 'main-thread'],
] as const)('end to end, unotify backend, as %s, supervisor on its %s', (user, where) => {
  const cases = CASES.filter((c) => !(c.name in UNOTIFY_DIFFERS) && (user === 'root' || c.unprivileged));
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = workDir(user !== 'root');
    c.setup?.(dir);
    const i = { ...input(c, dir), backend: 'unotify', unotifySupervisor: where };
    verify(await (user === 'root' ? runAsRoot(i) : runAsNobody(i)), c.expect(dir), dir);
  });
});

describe('end to end, as uid 65534 (setpriv)', () => {
  it.each(CASES.filter((c) => c.unprivileged).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const dir = workDir(true);
    c.setup?.(dir);
    if (c.setup) execFileSync('chown', ['-R', '65534:65534', dir]);
    verify(await runAsNobody(input(c, dir)), c.expect(dir), dir);
  });
});
