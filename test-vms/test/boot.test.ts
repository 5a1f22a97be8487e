import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boot, commandLine, qemuArgs } from '../src/boot.js';
import { judgeCell } from '../src/cell.js';
import { expandExpected, expectedFor, loadHistory } from '../src/expected.js';
import { planMatrix } from '../src/kernels.js';
import { encodeResult } from '../src/markers.js';
import type { FeatureMap } from '../src/types.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'sb-test-vms-'));
const history = loadHistory(join(import.meta.dirname, '..', 'expected', 'history.json'));
const cell = planMatrix([]).find((c) => c.name === '6.1')!;

const base = { kernel: '/nonexistent/bzImage', initrd: '/nonexistent/initrd', accel: 'tcg' as const };

describe('boot with a fake QEMU', () => {
  it('kills a hung QEMU (and its children) at the timeout and keeps its console log', async () => {
    const log = join(tmp, 'hang.log');
    const t0 = Date.now();
    const r = await boot({ ...base, qemu: join(fixtures, 'fake-qemu-hang.sh'), timeoutMs: 1500, log });
    expect(r.status).toBe('timeout');
    expect(r.reason).toMatch(/no power-off within 2 s/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(readFileSync(log, 'utf8')).toContain('@@SB-GUEST-BOOT 0.0-fake');
    const outcome = judgeCell(cell, expectedFor(history, '6.1'), r, log);
    expect(outcome.pass).toBe(false);
    expect(outcome.problems[0]).toMatch(/^boot: no power-off/);
    expect(outcome.problems).toContain('root: no result on the console');
  });

  it('stops at a kernel panic without waiting for the timeout', async () => {
    const t0 = Date.now();
    const r = await boot({
      ...base,
      qemu: join(fixtures, 'fake-qemu-panic.sh'),
      timeoutMs: 60_000,
      log: join(tmp, 'p.log'),
    });
    expect(r.status).toBe('panic');
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  it('reports a QEMU that cannot be run', async () => {
    const r = await boot({
      ...base,
      qemu: join(tmp, 'no-such-qemu'),
      timeoutMs: 5000,
      log: join(tmp, 'n.log'),
    });
    expect(r.status).toBe('error');
    expect(r.reason).toMatch(/cannot run/);
  });

  it('passes a cell whose guest reports what history expects, and fails one that differs', async () => {
    const expected = expectedFor(history, '6.1');
    // What a guest reports: enforcement per backend (the templates expanded), plus the lists.
    const ran = { 'enforce.backends': 'ptrace', 'enforce.unshareOptions': null };
    const guest = (m: FeatureMap): FeatureMap => ({ ...expandExpected(m, ran), ...ran });
    const consoleFor = (userFeatures: Record<string, unknown>) =>
      [
        '[ 0.1] booting',
        '@@SB-GUEST-BOOT 6.1.0-fake',
        ...encodeResult('root', { label: 'root', features: guest(expected.root), errors: [] }),
        '@@SB-EXIT root 0',
        ...encodeResult('user', { label: 'user', features: userFeatures, errors: [] }),
        '@@SB-EXIT user 0',
        '@@SB-GUEST-DONE',
      ].join('\n');
    const run = async (userFeatures: Record<string, unknown>) => {
      const file = join(tmp, 'console.txt');
      writeFileSync(file, consoleFor(userFeatures));
      process.env.FAKE_CONSOLE = file;
      const log = join(tmp, 'guest.log');
      const r = await boot({ ...base, qemu: join(fixtures, 'fake-qemu-guest.sh'), timeoutMs: 20_000, log });
      return judgeCell(cell, expected, r, log);
    };
    const good = await run(guest(expected.user));
    expect(good.problems).toEqual([]);
    expect(good.pass).toBe(true);
    const bad = await run({ ...guest(expected.user), 'landlock.abi': 1, 'ns.user': false });
    expect(bad.pass).toBe(false);
    expect(bad.problems).toEqual([
      'user: landlock.abi: expected 2, got 1',
      'user: ns.user: expected true, got false',
    ]);
  });
});

describe('QEMU command line', () => {
  it('uses TCG, no reboot, a serial console and panic=-1', () => {
    const args = qemuArgs({
      ...base,
      qemu: 'q',
      timeoutMs: 1,
      log: '/dev/null',
      append: ['sb.personality=3.5'],
    });
    expect(args.slice(0, 2)).toEqual(['-accel', 'tcg']);
    expect(args).toContain('-no-reboot');
    expect(args).toContain('-nographic');
    expect(args.at(-1)).toBe(`${commandLine()} sb.personality=3.5`);
    expect(commandLine()).toMatch(/console=ttyS0 .*panic=-1/);
  });
});
