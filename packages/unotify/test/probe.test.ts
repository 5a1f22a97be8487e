/**
 * probeUnotify's listener questions, made in a throw-away stub process: the answers on
 * this kernel, the same as root and as uid 65534, and an ioctl the kernel does not know
 * answered "no" by the same machinery (so "yes" is not a constant).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { inThrowawayStub } from '@sb/ptrace/stub';
import { nativeArch, syscallByName } from '@sb/syscalls';
import { encodeAddfd, probeUnotify, SECCOMP_IOCTL_NOTIF_ADDFD } from '@sb/unotify';
import { describe, expect, it } from 'vitest';
import { asUser, USERS } from './helpers.js';

const nr = (name: string) => syscallByName(nativeArch(), name)!.nr;
const ENOENT = 2;
const EINVAL = 22;

describe('probeUnotify', () => {
  it.each(USERS)('asks a real listener in a stub, as %s', (user) => {
    const index = new URL('../dist/index.js', import.meta.url).href;
    const script = `import(${JSON.stringify(index)}).then((u) => { const f = u.probeUnotify(); console.log(JSON.stringify(f)); })`;
    const [cmd, ...args] = asUser(user, [process.execPath, '--input-type=module', '-e', script]);
    const f = JSON.parse(execFileSync(cmd!, args, { encoding: 'utf8' }));
    // This machine's kernel (6.x) has every piece; the CI matrix checks older kernels.
    expect(f).toMatchObject({ usable: true, continueFlag: true, addfd: true, addfdSend: true });
    expect(f.why).toMatch(/FLAG_CONTINUE, ADDFD/);
  });

  it('answers in this process without a thread, and caches', () => {
    const f = probeUnotify();
    expect(f.usable).toBe(true);
    expect(probeUnotify()).toBe(f);
  });

  it('tells a known ioctl (ENOENT: no such notification) from an unknown flag (EINVAL)', () => {
    const source = openSync('/dev/null', 'r');
    try {
      const known = encodeAddfd(0xfffffffffffffff0n, source, 0, 0);
      const unknownFlag = encodeAddfd(0xfffffffffffffff0n, source, 0x80, 0);
      const answers = inThrowawayStub(
        24 + known.length + unknownFlag.length,
        (at) => {
          const d = new Uint8Array(24 + known.length * 2);
          const v = new DataView(d.buffer);
          v.setUint16(0, 1, true);
          v.setBigUint64(8, at + 16n, true);
          v.setUint16(16, 0x06, true);
          v.setUint32(20, 0x7fff0000, true);
          d.set(known, 24);
          d.set(unknownFlag, 24 + known.length);
          return d;
        },
        (stub) => {
          expect(stub.call(nr('prctl'), [38n, 1n, 0n, 0n, 0n])).toBe(0n);
          const fd = stub.call(nr('seccomp'), [1n, 8n, stub.data]); // SET_MODE_FILTER, NEW_LISTENER
          expect(fd).toBeGreaterThanOrEqual(0n);
          const ask = (off: number) =>
            stub.call(nr('ioctl'), [fd, BigInt(SECCOMP_IOCTL_NOTIF_ADDFD), stub.data + BigInt(off)]);
          return [ask(24), ask(24 + known.length)];
        },
      );
      expect(answers).toEqual([-BigInt(ENOENT), -BigInt(EINVAL)]);
    } finally {
      closeSync(source);
    }
  });
});
