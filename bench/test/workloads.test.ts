import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildMeasure, measureOnce } from '../src/measure/index.js';
import { WORKLOADS } from '../src/workloads/index.js';
import { hashTree, prng, writeTree } from '../src/workloads/tree.js';

const tmp = mkdtempSync(join(tmpdir(), 'sb-bench-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generators are deterministic', () => {
  it.each(WORKLOADS.map((w) => [w.id, w] as const))(
    '%s: the same tree twice gives the same hash',
    (id, w) => {
      const a = join(tmp, `${id}-a`);
      const b = join(tmp, `${id}-b`);
      writeTree(a, w.files('quick'));
      writeTree(b, w.files('quick'));
      expect(hashTree(a)).toBe(hashTree(b));
    },
  );

  it('stat-storm has 20,000 files at full size', () => {
    const stat = WORKLOADS.find((w) => w.id === 'stat-storm')!;
    expect(stat.files('full').size).toBe(20_000);
  });

  it('build has about 20 C files at full size', () => {
    const files = [
      ...WORKLOADS.find((w) => w.id === 'build')!
        .files('full')
        .keys(),
    ];
    expect(files.filter((f) => f.endsWith('.c'))).toHaveLength(21);
  });

  // Compared in memory: writing the full 20,000-file tree synchronously blocks the test
  // worker long enough under a loaded CI for vitest's worker RPC (fixed 60 s) to time out.
  it.each(['stat-storm', 'build', 'spawn-storm', 'node'])('%s: quick and full differ', (id) => {
    const w = WORKLOADS.find((x) => x.id === id)!;
    const flat = (m: ReturnType<typeof w.files>) => [...m].map(([k, f]) => `${k}\0${f.mode}\0${f.content}`);
    expect(flat(w.files('quick'))).not.toEqual(flat(w.files('full')));
  });

  it('the hash sees a changed byte', () => {
    const d = join(tmp, 'change');
    writeTree(d, WORKLOADS.find((w) => w.id === 'spawn-storm')!.files('quick'));
    const before = hashTree(d);
    writeFileSync(join(d, 'storm.sh'), `${readFileSync(join(d, 'storm.sh'), 'utf8')} `);
    expect(hashTree(d)).not.toBe(before);
  });

  it('writeTree refuses paths that leave the tree', () => {
    expect(() => writeTree(join(tmp, 'esc'), new Map([['../x', { content: '' }]]))).toThrow(/escapes/);
    expect(() => writeTree(join(tmp, 'esc'), new Map([['/etc/x', { content: '' }]]))).toThrow(/escapes/);
  });

  it('prng is seeded', () => {
    const a = prng(42);
    const b = prng(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('workloads run natively at quick size under the measure helper', () => {
  const measure = buildMeasure(join(tmp, 'tools'));

  it.each(WORKLOADS.map((w) => [w.id, w] as const))('%s succeeds and is timed', async (id, w) => {
    const dir = join(tmp, `run-${id}`);
    const p = w.prepare(dir, 'quick');
    p.beforeEach?.();
    const out = await measureOnce({ measure, argv: p.argv, cwd: p.cwd, timeoutMs: 120_000 });
    if (!out.ok) throw new Error(`${id}: ${out.reason}: ${out.stderrTail}`);
    expect(out.sample.wallMs).toBeGreaterThan(0);
    expect(out.sample.cpuMs).toBeGreaterThanOrEqual(0);
  });

  it('the build really builds from clean each run', async () => {
    const w = WORKLOADS.find((x) => x.id === 'build')!;
    const dir = join(tmp, 'run-build2');
    const p = w.prepare(dir, 'quick');
    for (let i = 0; i < 2; i++) {
      p.beforeEach?.();
      const out = await measureOnce({ measure, argv: p.argv, cwd: p.cwd, timeoutMs: 120_000 });
      expect(out.ok).toBe(true);
      // A no-op make would take no compiler CPU time at all.
      if (out.ok) expect(out.sample.cpuMs).toBeGreaterThan(20);
    }
  });
});

describe('measure helper', () => {
  const measure = buildMeasure(join(tmp, 'tools'));

  it('reports a failing command with its exit code and stderr tail', async () => {
    const out = await measureOnce({
      measure,
      argv: ['/bin/sh', '-c', 'echo something broke >&2; exit 3'],
      cwd: tmp,
      timeoutMs: 10_000,
    });
    expect(out).toMatchObject({ ok: false, reason: 'exit status 3', exitCode: 3 });
    if (!out.ok) expect(out.stderrTail).toContain('something broke');
  });

  it('reports death by signal', async () => {
    const out = await measureOnce({
      measure,
      argv: ['/bin/sh', '-c', 'kill -TERM $$'],
      cwd: tmp,
      timeoutMs: 10_000,
    });
    expect(out).toMatchObject({ ok: false, reason: 'killed by signal 15', exitCode: 143 });
  });

  it('reports a program that cannot be run', async () => {
    const out = await measureOnce({
      measure,
      argv: [join(tmp, 'no-such-program')],
      cwd: tmp,
      timeoutMs: 10_000,
    });
    expect(out).toMatchObject({ ok: false, exitCode: 127 });
  });

  it('kills a run that exceeds its time limit', async () => {
    const out = await measureOnce({ measure, argv: ['/bin/sleep', '30'], cwd: tmp, timeoutMs: 300 });
    expect(out).toMatchObject({ ok: false, reason: 'timed out after 0.3 s' });
  });

  it('counts the CPU time of grandchildren and pins when asked', async () => {
    const out = await measureOnce({
      measure,
      argv: [
        '/bin/sh',
        '-c',
        '/bin/sh -c "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"; grep Cpus_allowed_list /proc/self/status >&2; exit 9',
      ],
      cwd: tmp,
      cpu: 0,
      timeoutMs: 30_000,
    });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.stderrTail).toMatch(/Cpus_allowed_list:\s+0\n/);
    const ok = await measureOnce({
      measure,
      argv: ['/bin/sh', '-c', '/bin/sh -c "i=0; while [ $i -lt 30000 ]; do i=$((i+1)); done"'],
      cwd: tmp,
      timeoutMs: 30_000,
    });
    expect(ok.ok && ok.sample.cpuMs > 1).toBe(true);
  });
});
