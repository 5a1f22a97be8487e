// Runs a program under the built tracer with one of the setup programs below
// (they hold bigints and bytes, which JSON cannot carry) and prints
// "@@RESULT <json>" on stderr. argv: scenario, then the program's argv.
import { readFileSync } from 'node:fs';
import { nativeArch, syscallByName } from '@sb/syscalls';
import { Tracer } from '../dist/index.js';

const CLONE_NEWNS = 0x20000n;
const CLONE_NEWUTS = 0x04000000n;
const CLONE_NEWPID = 0x20000000n;
const CLONE_NEWUSER = 0x10000000n;
const O_RDONLY = 0n;
const O_WRONLY_CREAT_TRUNC = 0o1101n;
const AT_FDCWD = -100n;
const ENOENT = 2;

const [scenario, arg, ...argv] = process.argv.slice(2);
const uid = process.getuid();
const gid = process.getgid();
const userns =
  uid === 0
    ? []
    : [
        { kind: 'syscall', step: 'unshare user', name: 'unshare', args: [CLONE_NEWUSER] },
        { kind: 'write-proc', step: 'setgroups', file: 'setgroups', content: 'deny' },
        { kind: 'write-proc', step: 'uid_map', file: 'uid_map', content: `0 ${uid} 1` },
        { kind: 'write-proc', step: 'gid_map', file: 'gid_map', content: `0 ${gid} 1` },
      ];
// A seccomp program: mkdir and mkdirat fail with EPERM, everything else runs.
function denyMkdir() {
  const nrs = ['mkdir', 'mkdirat']
    .map((n) => syscallByName(nativeArch(), n)?.nr)
    .filter((n) => n !== undefined);
  const insns = [[0x20, 0, 0, 0]]; // ld [0] (nr)
  for (const [i, nr] of nrs.entries()) insns.push([0x15, nrs.length - i, 0, nr]); // jeq nr -> deny
  insns.push([0x06, 0, 0, 0x7fff0000]); // ret ALLOW
  insns.push([0x06, 0, 0, 0x00050001]); // ret ERRNO(EPERM)
  const b = new DataView(new ArrayBuffer(insns.length * 8));
  for (const [i, [code, jt, jf, k]] of insns.entries()) {
    b.setUint16(i * 8, code, true);
    b.setUint8(i * 8 + 2, jt);
    b.setUint8(i * 8 + 3, jf);
    b.setUint32(i * 8 + 4, k, true);
  }
  return new Uint8Array(b.buffer);
}
/** Opens the file `arg` in the stub and moves it here as 'secret' (asking `verify` of it first). */
function takeSecret(verify) {
  return {
    beforeFilter: [
      {
        kind: 'syscall',
        step: 'open secret',
        name: 'openat',
        args: [AT_FDCWD, { str: arg }, O_RDONLY],
        save: 'f',
      },
      { kind: 'take-fd', step: 'take secret', result: 'f', as: 'secret', ...(verify ? { verify } : {}) },
    ],
  };
}

const scenarios = {
  fprog: {
    beforeFilter: [
      { kind: 'syscall', step: 'seccomp', name: 'seccomp', args: [1n, 0n, { fprog: denyMkdir() }] },
    ],
  },
  hostname: {
    early: [
      ...userns,
      { kind: 'syscall', step: 'unshare uts', name: 'unshare', args: [CLONE_NEWUTS] },
      { kind: 'syscall', step: 'sethostname', name: 'sethostname', args: [{ str: arg }, BigInt(arg.length)] },
    ],
  },
  pidns: {
    early: [
      ...userns,
      { kind: 'syscall', step: 'unshare pid', name: 'unshare', args: [CLONE_NEWPID | CLONE_NEWNS] },
      { kind: 'fork', step: 'fork into pid ns', parent: 'kill' },
      ...(arg === 'reaper' ? [{ kind: 'fork', step: 'fork under the reaper', parent: 'reaper' }] : []),
    ],
  },
  'skip-try': {
    early: [
      {
        kind: 'syscall',
        step: 'open missing',
        name: 'openat',
        args: [AT_FDCWD, { str: '/no/such/sb' }, O_RDONLY],
        save: 'm',
        okErrnos: [ENOENT],
      },
      { kind: 'skip-unless-ok', result: 'm', count: 1 },
      { kind: 'syscall', step: 'must be skipped', name: 'close', args: [9999n] },
      {
        kind: 'syscall',
        step: 'open present',
        name: 'openat',
        args: [AT_FDCWD, { str: '/' }, O_RDONLY],
        save: 'p',
      },
      { kind: 'skip-unless-ok', result: 'p', count: 1 },
      { kind: 'syscall', step: 'must run', name: 'close', args: [9999n] },
    ],
  },
  // A call that changes the address space: made by a stub sharing ours, it would map a page
  // into the launcher itself.
  maps: {
    early: [
      {
        kind: 'syscall',
        step: 'map a page',
        name: 'mmap',
        args: [0n, 4096n, 3n, 0x22n, -1n, 0n], // PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS
      },
    ],
  },
  patch: {
    early: [
      {
        kind: 'syscall',
        step: 'open out',
        name: 'openat',
        args: [AT_FDCWD, { str: arg }, O_WRONLY_CREAT_TRUNC, 0o644n],
        save: 'fd',
      },
      {
        kind: 'syscall',
        step: 'write fd',
        name: 'write',
        args: [
          { result: 'fd' },
          {
            bytes: new Uint8Array(8),
            patch: [
              { offset: 0, size: 4, from: 'fd' },
              { offset: 4, size: 4, from: 'fd' },
            ],
          },
          8n,
        ],
      },
      { kind: 'syscall', step: 'close out', name: 'close', args: [{ result: 'fd' }] },
    ],
  },
  'take-fd': takeSecret(),
  // FIONREAD works on a regular file; TCGETS does not (ENOTTY): the second launch must fail.
  'take-fd-verified': takeSecret([
    { request: 0x541b, arg: new Uint8Array(64), okErrnos: [], why: 'not a terminal' },
  ]),
  'take-fd-refused': takeSecret([
    { request: 0x5401, arg: new Uint8Array(64), okErrnos: [], why: 'not a terminal' },
  ]),
  'unknown-name': { early: [{ kind: 'syscall', step: 'bogus', name: 'no_such_syscall_sb', args: [] }] },
  'unsaved-result': {
    early: [{ kind: 'syscall', step: 'close unsaved', name: 'close', args: [{ result: 'nope' }] }],
  },
  'host-fails': {
    early: [{ kind: 'run-host', step: 'host helper', argv: ['sh', '-c', 'echo bad >&2; exit 3'] }],
  },
};

const tracer = new Tracer();
let pid;
try {
  pid = tracer.launch({ argv, setup: scenarios[scenario], stdio: ['ignore', 'inherit', 'inherit'] });
} catch (e) {
  process.stderr.write(
    `@@RESULT ${JSON.stringify({ launchError: { message: e.message, step: e.step, errno: e.errno } })}\n`,
  );
  process.exit(99);
}
const fds = tracer.launchedFds;
const taken = {};
for (const [k, fd] of Object.entries(fds)) taken[k] = readFileSync(fd, 'utf8');
const r = tracer.run({});
process.stderr.write(
  `@@RESULT ${JSON.stringify({ pid, status: r.status, taken, sharedMemory: tracer.lastLaunch?.sharedMemory })}\n`,
);
process.exit(r.status.code ?? 128 + (r.status.signal ?? 0));
