/** The data parts: uapi struct layouts, /proc status parsing, ioctl numbers, setup steps. */

import {
  accessCreds,
  askListener,
  decodeNotification,
  encodeAddfd,
  encodeResponse,
  listenerMissing,
  listenerSetup,
  parseStatus,
  SECCOMP_IOCTL_NOTIF_ADDFD,
  SECCOMP_IOCTL_NOTIF_ID_VALID,
  SECCOMP_IOCTL_NOTIF_RECV,
  SECCOMP_IOCTL_NOTIF_SEND,
} from '@sb/unotify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('ioctl numbers (include/uapi/linux/seccomp.h, generic _IOC)', () => {
  it.each([
    ['SECCOMP_IOCTL_NOTIF_RECV', SECCOMP_IOCTL_NOTIF_RECV, 0xc0502100],
    ['SECCOMP_IOCTL_NOTIF_SEND', SECCOMP_IOCTL_NOTIF_SEND, 0xc0182101],
    ['SECCOMP_IOCTL_NOTIF_ID_VALID', SECCOMP_IOCTL_NOTIF_ID_VALID, 0x40082102],
    ['SECCOMP_IOCTL_NOTIF_ADDFD', SECCOMP_IOCTL_NOTIF_ADDFD, 0x40182103],
  ])('%s', (_name, value, expected) => {
    expect(value).toBe(expected);
  });
});

describe('struct layouts', () => {
  it('seccomp_notif decodes every field at its offset (seeded property)', () => {
    const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    fc.assert(
      fc.property(
        u64,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: -1, max: 2000 }),
        fc.array(u64, { minLength: 6, maxLength: 6 }),
        (id, pid, nr, args) => {
          const b = new Uint8Array(80);
          const v = new DataView(b.buffer);
          v.setBigUint64(0, id, true);
          v.setUint32(8, pid, true);
          v.setInt32(16, nr, true);
          v.setUint32(20, 0xc000003e, true);
          v.setBigUint64(24, 0x401000n, true);
          for (const [i, a] of args.entries()) v.setBigUint64(32 + i * 8, a, true);
          const n = decodeNotification(b);
          expect(n).toEqual({ id, pid, nr, arch: 0xc000003e, ip: 0x401000n, args });
        },
      ),
      { seed: 8, numRuns: 200 },
    );
  });

  it('seccomp_notif_resp: id, val, error, flags', () => {
    const v = new DataView(encodeResponse(7n, -2n, -13, 1).buffer);
    expect([
      v.getBigUint64(0, true),
      v.getBigInt64(8, true),
      v.getInt32(16, true),
      v.getUint32(20, true),
    ]).toEqual([7n, -2n, -13, 1]);
  });

  it('seccomp_notif_addfd: id, flags, srcfd, newfd, newfd_flags', () => {
    const v = new DataView(encodeAddfd(9n, 5, 2, 0o2000000, 0).buffer);
    expect([
      v.getBigUint64(0, true),
      v.getUint32(8, true),
      v.getUint32(12, true),
      v.getUint32(16, true),
      v.getUint32(20, true),
    ]).toEqual([9n, 2, 5, 0, 0o2000000]);
  });
});

const STATUS = (extra: string) =>
  `Name:\tcat\nUmask:\t0027\nState:\tR (running)\nTgid:\t10\nUid:\t1000\t1001\t1002\t1003\nGid:\t2000\t2001\t2002\t2003\nGroups:\t${extra}\nCapPrm:\t00000000000000ff\nCapEff:\t000001ffffffffff\n`;

describe('parseStatus (/proc/PID/status)', () => {
  it.each([
    ['several groups', STATUS('4 24 27 '), { fsuid: 1003, fsgid: 2003, groups: [4, 24, 27], umask: 0o27 }],
    ['no groups', STATUS(''), { fsuid: 1003, fsgid: 2003, groups: [], umask: 0o27 }],
  ])('%s', (_what, text, expected) => {
    const c = parseStatus(text);
    expect(c).toMatchObject(expected);
    expect(c?.capEff).toEqual([0xffffffff, 0x1ff]);
  });

  it('no Umask line (before 4.7): the strictest mask', () => {
    expect(parseStatus(STATUS('').replace(/^Umask:.*\n/m, ''))?.umask).toBe(0o077);
  });

  it('the real ids and permitted capabilities, for access(2)', () => {
    const c = parseStatus(STATUS(''))!;
    expect(c.real).toEqual({ uid: 1000, gid: 2000, capPrm: [0xff, 0] });
    // A real uid other than 0: no capabilities at all; 0: the permitted ones.
    expect(accessCreds(c)).toMatchObject({ fsuid: 1000, fsgid: 2000, capEff: [0, 0] });
    const root = parseStatus(STATUS('').replace('Uid:\t1000', 'Uid:\t0'))!;
    expect(accessCreds(root)).toMatchObject({ fsuid: 0, capEff: [0xff, 0] });
    // Without CapPrm (not shown): nothing to check with, the caller denies.
    expect(accessCreds(parseStatus(STATUS('').replace(/^CapPrm:.*\n/m, ''))!)).toBeNull();
  });

  it('a status without Uid is unusable (null: the caller denies)', () => {
    expect(parseStatus('Name:\tx\n')).toBeNull();
  });
});

describe('asking a listener which ioctls its kernel knows', () => {
  // errno per request for a kernel of each era (0: the call succeeded), as seccomp_notify_ioctl
  // answers a notification id that does not exist.
  const ENOENT = 2;
  const EINVAL = 22;
  it.each([
    [
      '5.4 (no CONTINUE, no ADDFD)',
      EINVAL,
      EINVAL,
      EINVAL,
      'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)',
    ],
    ['5.5-5.8 (no ADDFD)', ENOENT, EINVAL, EINVAL, 'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)'],
    ['5.9-5.13 (no ADDFD_FLAG_SEND)', ENOENT, ENOENT, EINVAL, null],
    ['5.14+', ENOENT, ENOENT, ENOENT, null],
  ] as const)('%s', (_era, send, addfd, addfdSend, missing) => {
    let last = 0;
    const ioctl = (_fd: number, req: number, arg: Uint8Array): number => {
      const flags = new DataView(arg.buffer).getUint32(8, true);
      last = req === SECCOMP_IOCTL_NOTIF_SEND ? send : flags === 0 ? addfd : addfdSend;
      return last === 0 ? 0 : -1;
    };
    const io = askListener(3, ioctl, () => last);
    expect(io).toEqual({
      continueFlag: send === ENOENT,
      addfd: addfd === ENOENT,
      addfdSend: addfdSend === ENOENT,
    });
    expect(listenerMissing(io)).toBe(missing);
  });
});

describe('listenerSetup', () => {
  const filter = Uint8Array.of(6, 0, 0, 0, 0, 0, 0xff, 0x7f);

  it('seccomp(NEW_LISTENER[|WAIT_KILLABLE_RECV], fprog of the filter) -> take-fd (asking the listener ioctls)', () => {
    const steps = listenerSetup(filter, { waitKillable: true });
    expect(steps.map((s) => (s.kind === 'syscall' ? s.name : s.kind))).toEqual(['seccomp', 'take-fd']);
    const take = steps[1]!;
    expect(take.kind === 'take-fd' && take.result).toBe('unotify-listener');
    expect(take.kind === 'take-fd' && take.verify?.map((c) => c.why)).toEqual([
      'SECCOMP_USER_NOTIF_FLAG_CONTINUE is missing (needs Linux 5.5)',
      'SECCOMP_IOCTL_NOTIF_ADDFD is missing (needs Linux 5.9)',
    ]);
    const sec = steps[0]!;
    if (sec.kind !== 'syscall') throw new Error('not a syscall step');
    expect(sec.save).toBe('unotify-listener');
    expect(sec.args[0]).toBe(1n);
    expect(sec.args[1]).toBe(BigInt((1 << 3) | (1 << 5)));
    expect(sec.args[2]).toEqual({ fprog: filter });
    const plain = listenerSetup(filter, { waitKillable: false })[0]!;
    expect(plain.kind === 'syscall' && plain.args[1]).toBe(8n);
  });

  it.each([0, 7, 8 * 4097])('refuses a filter of %i bytes', (n) => {
    expect(() => listenerSetup(new Uint8Array(n), { waitKillable: false })).toThrow(/sock_filter entries/);
  });
});

describe('the writable-range check on /proc/PID/maps text (kernels before PROCMAP_QUERY)', async () => {
  const { writable } = await import('../src/stat.js');
  const maps = [
    '00400000-00401000 r-xp 00000000 08:01 1 /bin/x',
    '00600000-00601000 rw-p 00000000 08:01 1 /bin/x',
    '00601000-00603000 rw-p 00000000 00:00 0 [heap]',
    '7ffd0000-7ffd1000 r--p 00000000 00:00 0',
    '',
  ].join('\n');
  it.each([
    ['inside one writable mapping', 0x600010n, 144, true],
    ['across two adjacent writable mappings', 0x600ff0n, 256, true],
    ['ending exactly at the end of a mapping', 0x602f70n, 144, true],
    ['running past the last writable byte', 0x602f80n, 144, false],
    ['in a read-only mapping', 0x7ffd0000n, 144, false],
    ['in text', 0x400000n, 8, false],
    ['unmapped (NULL)', 0n, 144, false],
    ['in a hole between mappings', 0x500000n, 8, false],
  ] as const)('%s', (_what, addr, len, expected) => {
    expect(writable(maps, addr, len)).toBe(expected);
  });
});
