import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, ratio, summarize } from '../src/stats.js';

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 10, 10], 10],
    [[1, 100, 2], 2],
    [[0.5, 0.25], 0.375],
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('rejects an empty sample', () => {
    expect(() => median([])).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const v = [3, 1, 2];
    median(v);
    expect(v).toEqual([3, 1, 2]);
  });

  it('lies between min and max and splits the sample in halves (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 40 }),
        (v) => {
          const s = summarize(v);
          expect(s.min).toBeLessThanOrEqual(s.median);
          expect(s.median).toBeLessThanOrEqual(s.max);
          expect(v.filter((x) => x < s.median).length).toBeLessThanOrEqual(v.length / 2);
          expect(v.filter((x) => x > s.median).length).toBeLessThanOrEqual(v.length / 2);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('summarize', () => {
  it('gives median, min, max and count', () => {
    expect(summarize([12, 10, 30, 11, 13])).toEqual({ median: 12, min: 10, max: 30, n: 5 });
  });
  it('rejects non-finite measurements', () => {
    expect(() => summarize([1, Number.NaN])).toThrow(/not a finite/);
    expect(() => summarize([1, Number.POSITIVE_INFINITY])).toThrow(/not a finite/);
  });
});

describe('ratio', () => {
  const s = (m: number) => ({ median: m, min: m, max: m, n: 1 });
  it.each([
    [150, 100, 1.5],
    [100, 100, 1],
    [50, 200, 0.25],
  ])('%d over %d = %d', (a, b, r) => {
    expect(ratio(s(a), s(b))).toBeCloseTo(r, 12);
  });
  it('is undefined against a zero baseline', () => {
    expect(ratio(s(5), s(0))).toBeUndefined();
  });
  it('uses the medians, not the extremes', () => {
    expect(ratio(summarize([1, 20, 1000]), summarize([10, 10, 10]))).toBe(2);
  });
});
