import { describe, expect, it } from 'vitest';
import { x86_64 } from '../src/arch/x86_64.js';
import { ENGINE_FILTER_DATA, engineFilter } from '../src/filter.js';
import {
  describeFeatures,
  encodeFilter,
  probe,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_TRACE,
  traceFilter,
} from '../src/index.js';
import { engineFilterAbis } from '../src/launch.js';
import { resetProbe } from '../src/probe.js';

describe('probe', () => {
  it('answers consistently, and finds every feature on the CI kernel', () => {
    resetProbe();
    const f = probe();
    expect(probe()).toBe(f); // cached
    // Implications that hold on any kernel: GET_SYSCALL_INFO (5.3) implies the 4.8 order.
    if (f.syscallInfo) expect(f.seccompOrder).toBe('enter-first');
    if (f.exitKill) expect(f.traceSeccomp).toBe(true);
    // The CI machines run Linux 6.x (see machine-facts): everything is there.
    expect(f).toEqual({
      seize: true,
      seizeErrno: 0,
      traceSeccomp: true,
      exitKill: true,
      syscallInfo: true,
      processVm: true,
      procMem: true,
      closeRange: true,
      seccompOrder: 'enter-first',
      seccompRetData: true,
    });
    expect(describeFeatures(f)).toContain('seccomp stop order: enter-first');
  });
});

describe('traceFilter', () => {
  const words = (b: Uint8Array) => {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    return Array.from({ length: b.length / 8 }, (_, i) => ({
      code: v.getUint16(i * 8, true),
      jt: v.getUint8(i * 8 + 2),
      jf: v.getUint8(i * 8 + 3),
      k: v.getUint32(i * 8 + 4, true),
    }));
  };

  it('checks the arch first and traces foreign ABIs', () => {
    const p = words(traceFilter({ auditArch: 0xc000003e, trace: [1] }));
    expect(p.slice(0, 3)).toEqual([
      { code: 0x20, jt: 0, jf: 0, k: 4 },
      { code: 0x15, jt: 1, jf: 0, k: 0xc000003e },
      { code: 0x06, jt: 0, jf: 0, k: SECCOMP_RET_TRACE },
    ]);
  });

  it('jumps of each listed number land on RET_TRACE, the rest on RET_ALLOW', () => {
    const nrs = [3, 1, 2, 1];
    const p = words(traceFilter({ auditArch: 0xc000003e, trace: nrs, data: 7 }));
    const body = p.slice(4);
    const allow = body.length - 2;
    expect(body[allow]).toEqual({ code: 6, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
    expect(body[allow + 1]).toEqual({ code: 6, jt: 0, jf: 0, k: (SECCOMP_RET_TRACE | 7) >>> 0 });
    for (const [i, ins] of body.slice(0, allow).entries()) expect(i + 1 + ins.jt).toBe(allow + 1);
    expect(body.slice(0, allow).map((i) => i.k)).toEqual([1, 2, 3]);
  });

  it('refuses lists too long for 8-bit jumps', () => {
    expect(() => traceFilter({ auditArch: 1, trace: Array.from({ length: 300 }, (_, i) => i) })).toThrow(
      RangeError,
    );
  });

  it('encodes sock_filter little-endian', () => {
    expect([...encodeFilter([{ code: 0x106, jt: 1, jf: 2, k: 0x01020304 }])]).toEqual([
      6, 1, 1, 2, 4, 3, 2, 1,
    ]);
  });
});

describe('engine filter', () => {
  it('traps clone and clone3 of every x86 ABI, grouped by AUDIT_ARCH', () => {
    expect(engineFilterAbis(x86_64)).toEqual([
      { auditArch: 0xc000003e, nrs: [56, 435, 0x40000038, 0x400001b3] },
      { auditArch: 0x40000003, nrs: [120, 435] },
    ]);
  });

  it('is a chain of per-arch blocks ending in RET_ALLOW', () => {
    const f = engineFilter([{ auditArch: 7, nrs: [1, 2] }]);
    const k = (i: number) => new DataView(f.buffer).getUint32(i * 8 + 4, true);
    const jf = (i: number) => new DataView(f.buffer).getUint8(i * 8 + 3);
    // ld arch; jeq 7 (else skip 5); ld nr; jeq 1 ->+2; jeq 2 ->+1; ret allow; ret trace; ret allow
    expect(f.length / 8).toBe(8);
    expect([k(1), jf(1)]).toEqual([7, 5]);
    expect(k(6)).toBe((SECCOMP_RET_TRACE | ENGINE_FILTER_DATA) >>> 0);
    expect(k(5)).toBe(SECCOMP_RET_ALLOW);
    expect(k(7)).toBe(SECCOMP_RET_ALLOW);
  });
});
