import { describe, expect, it } from 'vitest';
import { planMatrix, versionOfName } from '../src/kernels.js';

describe('matrix plan', () => {
  it('emulates 3.5 and 3.8 on the oldest real kernel when no image is present', () => {
    const cells = planMatrix([]);
    expect(cells.map((c) => `${c.name}:${c.kind}${c.host ? `@${c.host.name}` : ''}`)).toEqual([
      '3.5:emulated@5.10',
      '3.8:emulated@5.10',
      '5.10:real',
      '6.1:real',
      '6.12:real',
    ]);
  });

  it('never emulates a version whose real image is present', () => {
    const cells = planMatrix([{ name: '3.5', image: '/k/3.5/bzImage' }]);
    expect(cells.filter((c) => c.name === '3.5').map((c) => c.kind)).toEqual(['real']);
    // 3.8 cannot run on 3.5: it goes to the oldest real kernel at least as new.
    expect(cells.find((c) => c.name === '3.8')?.host?.name).toBe('5.10');
  });

  it('a local image named like a Debian kernel replaces the download', () => {
    const cells = planMatrix([{ name: '6.1', image: '/k/6.1/bzImage' }]);
    expect(cells.filter((c) => c.name === '6.1').map((c) => c.source)).toEqual([{ image: '/k/6.1/bzImage' }]);
  });

  it('takes the version from the directory name', () => {
    expect(versionOfName('3.8-custom')).toBe('3.8');
    expect(() => versionOfName('custom')).toThrow(/must begin with the kernel version/);
  });
});
