import { describe, expect, it } from 'vitest';
import {
  cloneFlags,
  decodeArgs,
  formatReturn,
  openFlags,
  quote,
  signalName,
  TraceeMemory,
} from '../src/index.js';

describe('strace-like decoding', () => {
  it.each([
    [0n, 'x86_64', 'O_RDONLY'],
    [0o2101n, 'x86_64', 'O_WRONLY|O_CREAT|O_APPEND'],
    [0o2000002n, 'x86_64', 'O_RDWR|O_CLOEXEC'],
    [0o200000n, 'x86_64', 'O_RDONLY|O_DIRECTORY'],
    [0o40000n, 'aarch64', 'O_RDONLY|O_DIRECTORY'],
    [0o40000n, 'x86_64', 'O_RDONLY|O_DIRECT'],
    [0x80000000n, 'x86_64', 'O_RDONLY|0x80000000'],
  ] as const)('openFlags(%s, %s) = %s', (v, abi, want) => {
    expect(openFlags(v, abi)).toBe(want);
  });

  it.each([
    [0x1200011n, 'CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD'],
    [
      0x3d0f00n,
      'CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID',
    ],
    [0x800011n, 'CLONE_UNTRACED|SIGCHLD'],
    [0n, '0'],
  ])('cloneFlags(%s) = %s', (v, want) => {
    expect(cloneFlags(v)).toBe(want);
  });

  it.each([
    [Buffer.from('/etc/passwd'), Number.POSITIVE_INFINITY, '"/etc/passwd"'],
    [Buffer.from('a"b\\c\n\t'), Number.POSITIVE_INFINITY, '"a\\"b\\\\c\\n\\t"'],
    [Buffer.from([0xff, 0x01]), Number.POSITIVE_INFINITY, '"\\xff\\x01"'],
    [Buffer.from('abcdef'), 3, '"abc"...'],
  ])('quote(%j, %d) = %s', (bytes, max, want) => {
    expect(quote(bytes, max)).toBe(want);
  });

  it.each([
    [0n, '0'],
    [3n, '3'],
    [-2n, '-1 ENOENT'],
    [-4095n, '-1 errno 4095'],
    [0x7f0000001000n, '0x7f0000001000'],
    [null, '?'],
  ])('formatReturn(%s) = %s', (v, want) => {
    expect(formatReturn(v)).toBe(want);
  });

  it('signal names follow the x86/generic numbering', () => {
    expect([9, 17, 19, 34].map(signalName)).toEqual(['SIGKILL', 'SIGCHLD', 'SIGSTOP', 'SIGRT_2']);
  });

  it('unreadable pointers are shown raw with the reason; unknown tables as six registers', () => {
    const mem = new TraceeMemory('process_vm');
    const meta = {
      name: 'openat',
      args: [
        { name: 'dfd', kind: 'dirfd' },
        { name: 'filename', kind: 'path' },
        { name: 'flags', kind: 'open_flags' },
        { name: 'mode', kind: 'mode' },
      ],
    };
    // tid 0x7fffffff does not exist: the path read fails, nothing is guessed.
    const args = decodeArgs(meta, 'x86_64', [0xffffff9cn, 0x1000n, 0o101n, 0o644n, 0n, 0n], mem, 0x7fffffff);
    expect(args.map((a) => a.text)).toEqual(['AT_FDCWD', '0x1000', 'O_WRONLY|O_CREAT', '0644']);
    expect(args[1]!.error).toBe('ESRCH');
    expect(decodeArgs(undefined, 'x86_64', [1n, 0n, 2n, 3n, 4n, 5n], mem, 1).map((a) => a.text)).toEqual([
      '0x1',
      'NULL',
      '0x2',
      '0x3',
      '0x4',
      '0x5',
    ]);
    mem.close();
  });
});
