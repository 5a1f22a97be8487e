/**
 * The kernel's answers the notify handler gives before (or instead of) a lookup, table-driven:
 * the struct and flag checks of the *xattrat calls and the times of the utime family. The
 * end-to-end comparison with the kernel itself is attrcmp (unotify.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { badAtFlags, E2BIG, EFAULT, EINVAL, readTimes, readXattrArgs } from '../src/notify-calls.js';

const notification = (args: bigint[]) => ({ id: 1n, pid: 1, nr: 0, arch: 0, ip: 0n, args });

/** struct xattr_args { u64 value; u32 size; u32 flags; } followed by `tail`, little-endian. */
function xattrArgs(value: bigint, size: number, flags: number, tail: number[] = []): Uint8Array {
  const b = new Uint8Array(16 + tail.length);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, value, true);
  v.setUint32(8, size, true);
  v.setUint32(12, flags, true);
  b.set(tail, 16);
  return b;
}

/** A caller's memory holding `bytes` at 0x1000; anything else is unreadable. */
const memoryWith = (bytes: Uint8Array) => (addr: bigint, len: number) => {
  if (addr !== 0x1000n || len > bytes.length) throw Object.assign(new Error('EFAULT'), { errno: EFAULT });
  return bytes.subarray(0, len);
};

describe('readXattrArgs (setxattrat/getxattrat: copy_struct_from_user)', () => {
  const struct = xattrArgs(0x7000n, 5, 1, [0, 0, 0, 0, 0, 0, 0, 0]);
  it.each([
    ['version 0', 0x1000n, 16n, { value: 0x7000n, size: 5, flags: 1 }],
    ['a longer struct with a zero tail', 0x1000n, 24n, { value: 0x7000n, size: 5, flags: 1 }],
    ['shorter than version 0', 0x1000n, 15n, { errno: EINVAL }],
    ['no struct at all', 0x1000n, 0n, { errno: EINVAL }],
    ['over a page', 0x1000n, 4097n, { errno: E2BIG }],
    ['a huge usize', 0x1000n, 2n ** 63n, { errno: E2BIG }],
    ['unreadable', 0x2000n, 16n, { errno: EFAULT }],
    ['longer than the readable memory', 0x1000n, 32n, { errno: EFAULT }],
  ] as const)('%s', (_name, addr, usize, want) => {
    expect(readXattrArgs(memoryWith(struct), addr, usize, 4096)).toEqual(want);
  });

  it('a non-zero byte past the 16 it knows is E2BIG', () => {
    const tailed = xattrArgs(0x7000n, 5, 0, [0, 0, 0, 1]);
    expect(readXattrArgs(memoryWith(tailed), 0x1000n, 20n, 4096)).toEqual({ errno: E2BIG });
  });

  it('the page limit is the kernel page size', () => {
    const big = new Uint8Array(8192);
    big.set(xattrArgs(1n, 2, 0));
    expect(readXattrArgs(memoryWith(big), 0x1000n, 8192n, 4096)).toEqual({ errno: E2BIG });
    expect(readXattrArgs(memoryWith(big), 0x1000n, 8192n, 65536)).toEqual({ value: 1n, size: 2, flags: 0 });
  });
});

describe('badAtFlags (the attribute calls accept AT_SYMLINK_NOFOLLOW and AT_EMPTY_PATH only)', () => {
  it.each([
    [0n, false],
    [0x100n, false],
    [0x1000n, false],
    [0x1100n, false],
    [0x200n, true], // AT_EACCESS / AT_REMOVEDIR
    [0x800n, true], // AT_NO_AUTOMOUNT
    [0x1_0000_0000n, false], // only the low 32 bits are the int the kernel reads
  ] as const)('flags %s: %s', (flags, bad) => {
    expect(badAtFlags(notification([0n, 0n, flags]), 2)).toBe(bad);
  });

  it('a call without at-flags has none to refuse', () => {
    expect(badAtFlags(notification([0n, 0n, 0xffn]), undefined)).toBe(false);
  });
});

describe('readTimes (utimensat, utimes, futimesat, utime)', () => {
  const at = (bytes: Uint8Array) => memoryWith(bytes);
  const timespec = (pairs: [bigint, bigint][]) => {
    const b = new Uint8Array(32);
    const v = new DataView(b.buffer);
    pairs.forEach(([s, n], i) => {
      v.setBigInt64(i * 16, s, true);
      v.setBigInt64(i * 16 + 8, n, true);
    });
    return b;
  };

  it('NULL: now', () => {
    expect(readTimes(at(new Uint8Array(0)), 0n, 'timespec')).toBeNull();
  });

  it('timeval microseconds become nanoseconds; out of range is EINVAL', () => {
    const out = readTimes(
      at(
        timespec([
          [6000n, 7n],
          [7000n, 8n],
        ]),
      ),
      0x1000n,
      'timeval',
    );
    expect(out).toEqual(
      timespec([
        [6000n, 7000n],
        [7000n, 8000n],
      ]),
    );
    const bad = timespec([
      [1n, 1_000_000n],
      [1n, 0n],
    ]);
    expect(readTimes(at(bad), 0x1000n, 'timeval')).toEqual({ errno: EINVAL });
  });

  it('utimbuf seconds become timespecs; unreadable memory is EFAULT', () => {
    const ub = new Uint8Array(16);
    new DataView(ub.buffer).setBigInt64(0, 8000n, true);
    new DataView(ub.buffer).setBigInt64(8, 9000n, true);
    expect(readTimes(at(ub), 0x1000n, 'utimbuf')).toEqual(
      timespec([
        [8000n, 0n],
        [9000n, 0n],
      ]),
    );
    expect(readTimes(at(ub), 0x2000n, 'utimbuf')).toEqual({ errno: EFAULT });
  });
});
