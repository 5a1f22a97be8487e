import { describe, expect, it } from 'vitest';
import { Tracer, traceFilter } from '../src/index.js';

const ALL = traceFilter({ auditArch: 0xc000003e, subAbiBit: 0x40000000 });

describe('Tracer (in process)', () => {
  it('a throwing handler fails closed: the tree is killed and run() rethrows', () => {
    const tracer = new Tracer();
    tracer.launch({ argv: ['sh', '-c', 'sleep 30 & sleep 30; echo never'], filter: ALL });
    let calls = 0;
    const t0 = Date.now();
    expect(() =>
      tracer.run({
        syscall(stop) {
          calls++;
          if (stop.nr === 35 || stop.nr === 230) throw new Error('policy bug'); // nanosleep / clock_nanosleep
          return undefined;
        },
      }),
    ).toThrow('policy bug');
    expect(calls).toBeGreaterThan(0);
    expect(tracer.tids).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });

  it('parentOf() links each process to its creator', () => {
    const tracer = new Tracer();
    const root = tracer.launch({ argv: ['sh', '-c', 'true; /bin/true'], filter: ALL });
    const seen: [number, number | undefined][] = [];
    tracer.run({
      exit(ev) {
        if (ev.tid !== root) seen.push([ev.tid, tracer.parentOf(ev.tid)]);
      },
    });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const [, parent] of seen) expect(parent).toBe(root);
  });

  it('one launch per Tracer', () => {
    const tracer = new Tracer();
    tracer.launch({ argv: ['true'] });
    expect(() => tracer.launch({ argv: ['true'] })).toThrow(/one launched program/);
    tracer.run();
  });
});
