/**
 * The order of runs within one group (one workload, one CPU variant): every
 * contender's warm-up runs first, then the counted runs interleaved round by
 * round (A B C A B C ...), so that drift in the machine's state (load from
 * other processes, page cache, thermal) spreads over all contenders alike
 * instead of landing on whichever ran last.
 */

export interface Step<T> {
  readonly contender: T;
  readonly phase: 'warmup' | 'counted';
  /** 0-based round within the phase. */
  readonly round: number;
}

export function interleave<T>(contenders: readonly T[], warmups: number, runs: number): Step<T>[] {
  if (!Number.isInteger(warmups) || warmups < 0) throw new RangeError(`warm-up runs: ${warmups}`);
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`counted runs: ${runs}`);
  const steps: Step<T>[] = [];
  for (let round = 0; round < warmups; round++)
    for (const contender of contenders) steps.push({ contender, phase: 'warmup', round });
  for (let round = 0; round < runs; round++)
    for (const contender of contenders) steps.push({ contender, phase: 'counted', round });
  return steps;
}
