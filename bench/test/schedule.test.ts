import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interleave } from '../src/schedule.js';

describe('interleave', () => {
  it('runs warm-ups first, then counted runs round by round (A B C A B C)', () => {
    const order = interleave(['A', 'B', 'C'], 1, 2).map((s) => `${s.phase[0]}${s.contender}${s.round}`);
    expect(order).toEqual(['wA0', 'wB0', 'wC0', 'cA0', 'cB0', 'cC0', 'cA1', 'cB1', 'cC1']);
  });

  it('allows no warm-up', () => {
    expect(interleave(['A', 'B'], 0, 2).map((s) => s.contender)).toEqual(['A', 'B', 'A', 'B']);
  });

  it.each([
    [1, 0],
    [-1, 3],
    [1.5, 3],
    [1, 2.5],
  ])('rejects warmups=%d runs=%d', (w, r) => {
    expect(() => interleave(['A'], w, r)).toThrow(RangeError);
  });

  it('gives every contender the same number of runs, never the same one twice in a row (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 8 }),
        (n, w, r) => {
          const names = Array.from({ length: n }, (_, i) => `c${i}`);
          const steps = interleave(names, w, r);
          expect(steps).toHaveLength(n * (w + r));
          for (const c of names) {
            expect(steps.filter((s) => s.contender === c && s.phase === 'warmup')).toHaveLength(w);
            expect(steps.filter((s) => s.contender === c && s.phase === 'counted')).toHaveLength(r);
          }
          for (let i = 1; i < steps.length; i++)
            expect(steps[i]!.contender).not.toBe(steps[i - 1]!.contender);
          const firstCounted = steps.findIndex((s) => s.phase === 'counted');
          expect(steps.slice(firstCounted).every((s) => s.phase === 'counted')).toBe(true);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });
});
