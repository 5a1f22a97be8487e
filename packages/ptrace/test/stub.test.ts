import { spawnSync } from 'node:child_process';
import { nativeArch, syscallByName } from '@sb/syscalls';
import { describe, expect, it } from 'vitest';
import { inThrowawayStub } from '../src/throwaway.js';
import { asUser, USERS, type User } from './helpers.js';

// In a process of its own: the calling thread becomes the stub's tracer. The stub is made,
// a marker is written into our memory AFTER the clone, and the stub write()s that memory to a
// pipe: a memory-sharing stub sends the new marker, a copy the old one.
const SCRIPT = `
import { readSync } from 'node:fs';
import { Stub } from './dist/stub.js';
import { allocNative, closeFd, pipe2 } from './dist/native.js';
import { nativeArch, syscallByName } from '@sb/syscalls';
const share = process.argv[1] === 'share';
const block = allocNative(8);
block.bytes.set(Buffer.from('before!\\0'));
const [r, w] = pipe2(0);
const stub = Stub.create(undefined, { shareMemory: share });
block.bytes.set(Buffer.from('after!!\\0'));
try {
  // PTRACE_O_TRACESYSGOOD: how inject tells syscall stops.
  if (stub.seize(1) !== 0) throw new Error('seize failed');
  stub.interrupt();
  const write = syscallByName(nativeArch(), 'write').nr;
  const n = stub.inject(write, [BigInt(w), block.address, 7n]).ret;
  const buf = Buffer.alloc(7);
  readSync(r, buf);
  console.log(JSON.stringify({ shares: stub.sharesMemory, wrote: Number(n), read: buf.toString() }));
} finally {
  stub.destroy();
  block.free();
  closeFd(r);
  closeFd(w);
}
`;

function runStub(user: User, mode: 'share' | 'copy') {
  const [cmd, args] = asUser(user, process.execPath, ['--input-type=module', '-e', SCRIPT, mode]);
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: 30_000,
    cwd: new URL('..', import.meta.url).pathname,
  });
  if (r.status !== 0) throw new Error(`stub script failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as { shares: boolean; wrote: number; read: string };
}

describe.each(USERS)('the stub as %s', (user) => {
  it('shareMemory: the stub runs on this process memory (CLONE_VM), seeing writes made after the clone', () => {
    expect(runStub(user, 'share')).toEqual({ shares: true, wrote: 7, read: 'after!!' });
  });

  it('by default the stub is a copy: it still sees the memory as it was at the clone', () => {
    expect(runStub(user, 'copy')).toEqual({ shares: false, wrote: 7, read: 'before!' });
  });
});

describe('a throw-away stub', () => {
  const nr = (name: string) => syscallByName(nativeArch(), name)!.nr;
  const none = () => new Uint8Array(8);

  it('makes calls (getpid: its own pid, not ours)', () => {
    const pid = inThrowawayStub(8, none, (s) => s.call(nr('getpid'), []));
    expect(pid).toBeGreaterThan(0n);
    expect(pid).not.toBe(BigInt(process.pid));
  });

  it('refuses a call that would change the address space it shares with this process', () => {
    // MAP_PRIVATE|MAP_ANONYMOUS: it would map a page into this very process.
    const mmap = () => inThrowawayStub(8, none, (s) => s.call(nr('mmap'), [0n, 4096n, 3n, 0x22n, -1n, 0n]));
    expect(mmap).toThrow(/shares this process's memory: system call \d+ would change it/);
    const setMm = () => inThrowawayStub(8, none, (s) => s.call(nr('prctl'), [35n, 0n, 0n, 0n, 0n]));
    expect(setMm).toThrow(/would change it/);
  });
});
