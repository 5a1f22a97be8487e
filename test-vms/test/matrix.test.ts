import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMatrix } from '../src/kernels.js';
import { runMatrix } from '../src/matrix.js';

const fixtures = join(import.meta.dirname, 'fixtures');

/** A 3.8 "kernel" image (a local file, so no download) and the 3.5 cell emulated on it. */
function fakeKernels() {
  const dir = mkdtempSync(join(tmpdir(), 'sb-matrix-'));
  mkdirSync(join(dir, 'k', '3.8'), { recursive: true });
  const image = join(dir, 'k', '3.8', 'bzImage');
  writeFileSync(image, 'not a kernel');
  const initrd = join(dir, 'initrd.cpio');
  writeFileSync(initrd, '');
  const cells = planMatrix([{ name: '3.8', image }]).filter((c) => c.name === '3.5' || c.name === '3.8');
  // Every boot hangs; the boot timeout ends it.
  const options = {
    cacheDir: join(dir, 'cache'),
    outDir: join(dir, 'out'),
    expectedDir: join(import.meta.dirname, '..', 'expected'),
    qemu: join(fixtures, 'fake-qemu-hang.sh'),
    accel: 'tcg',
    timeoutMs: 1500,
    initramfs: () => initrd,
  } as const;
  return { dir, cells, options };
}

describe('matrix runner with a hanging fake QEMU', () => {
  it('kills every hung boot, reports failed cells with their logs, and writes results.json', async () => {
    const { dir, cells, options } = fakeKernels();
    expect(cells.map((c) => `${c.name}:${c.kind}`)).toEqual(['3.5:emulated', '3.8:real']);
    const lines: string[] = [];
    const t0 = Date.now();
    const r = await runMatrix({ ...options, cells, log: (l) => lines.push(l) });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.outcomes.map((o) => [o.name, o.kind, o.pass, o.boot.status])).toEqual([
      ['3.5', 'emulated', false, 'timeout'],
      ['3.8', 'real', false, 'timeout'],
    ]);
    for (const o of r.outcomes) {
      expect(readFileSync(o.boot.log, 'utf8')).toContain('@@SB-GUEST-BOOT');
    }
    const saved = JSON.parse(readFileSync(join(dir, 'out', 'results.json'), 'utf8'));
    expect(saved.outcomes).toHaveLength(2);
    expect(saved.outcomes[0].problems[0]).toMatch(/^boot: no power-off within 2 s/);
    expect(lines).toContain('accelerator: tcg (chosen on the command line)');
  });

  it('runs --jobs guests side by side, slowest (emulated) first, and keeps the cells in order', async () => {
    const { cells, options } = fakeKernels();
    const reversed = [...cells].reverse();
    const events: string[] = [];
    const r = await runMatrix({
      ...options,
      cells: reversed,
      log: () => {},
      jobs: 2,
      progress: (cell, _i, stage) => {
        if (stage === 'booting' || stage === 'done') events.push(`${cell.name} ${stage}`);
      },
    });
    // Both guests were started before either ended; the emulated cell was started first.
    expect(events.slice(0, 2)).toEqual(['3.5 booting', '3.8 booting']);
    expect(events.slice(2).sort()).toEqual(['3.5 done', '3.8 done']);
    expect(r.outcomes.map((o) => o.name)).toEqual(['3.8', '3.5']);
  });

  it('refuses a kernel without an expected file before booting anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sb-matrix-'));
    const cells = planMatrix([{ name: '4.19', image: join(dir, 'bzImage') }]).filter(
      (c) => c.name === '4.19',
    );
    await expect(
      runMatrix({
        cells,
        cacheDir: dir,
        outDir: join(dir, 'out'),
        expectedDir: join(import.meta.dirname, '..', 'expected'),
        qemu: join(fixtures, 'fake-qemu-hang.sh'),
        accel: 'tcg',
        timeoutMs: 1000,
        initramfs: () => {
          throw new Error('must not be built');
        },
        log: () => {},
      }),
    ).rejects.toThrow(/no expected file for kernel 4\.19: add .*4\.19\.json/);
    expect(existsSync(join(dir, 'out', 'results.json'))).toBe(false);
  });
});
