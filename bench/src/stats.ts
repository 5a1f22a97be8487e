/** Summary statistics of the counted runs: the median is the figure reported, min/max show the spread. */

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly n: number;
}

/** Median of a non-empty sample (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty sample');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of an empty sample');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`not a finite measurement: ${v}`);
  }
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/**
 * A contender's median over the baseline's median. Undefined when the baseline
 * median is zero (nothing to compare against; e.g. CPU time below the clock's resolution).
 */
export function ratio(value: Summary, baseline: Summary): number | undefined {
  if (baseline.median <= 0) return undefined;
  return value.median / baseline.median;
}
