/** The shape of a benchmark run, as written to results/*.json and read by the report writers. */

import type { ContenderKind } from './contenders/types.js';
import type { Sample } from './measure/index.js';
import type { Summary } from './stats.js';

/** free: the scheduler places everything; pinned: everything on one CPU (as `taskset -c N`). */
export type Variant = 'free' | 'pinned';

export interface ContenderReport {
  readonly id: string;
  readonly label: string;
  readonly kind: ContenderKind;
  readonly supervised: boolean;
  readonly about: string;
  readonly commandLine: string;
  readonly status: 'available' | 'missing' | 'not-available' | 'unusable';
  readonly reason?: string;
  readonly version?: string;
}

export interface WorkloadReport {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly size: Readonly<Record<string, number>>;
  /** The native command line, as run in the workload directory. */
  readonly command: readonly string[];
  /** Set when the workload could not be generated or compiled: nothing was measured. */
  readonly prepareError?: string;
}

export interface Cell {
  readonly workload: string;
  readonly contender: string;
  readonly variant: Variant;
  readonly status: 'ok' | 'failed';
  /** For failed cells: why, the exit code when it exited, and the end of its stderr. */
  readonly reason?: string;
  readonly exitCode?: number;
  readonly stderrTail?: string;
  readonly failedIn?: 'warmup' | 'counted';
  readonly samples: readonly Sample[];
  readonly wall?: Summary;
  readonly cpu?: Summary;
  /** Median over native's median in the same workload and variant. */
  readonly wallRatio?: number;
  readonly cpuRatio?: number;
  /** Median wall time minus native's median, in ms. */
  readonly addedWallMs?: number;
  /** Some run left descendants running after the command ended. */
  readonly stragglers?: boolean;
}

export interface BenchResult {
  readonly schema: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly host: string;
  readonly quick: boolean;
  readonly options: {
    readonly runs: number;
    readonly warmups: number;
    readonly variants: readonly Variant[];
    readonly pinCpu: number;
    readonly pinAll: boolean;
    readonly timeoutSec: number;
    readonly workloads: readonly string[];
    readonly contenders: readonly string[];
  };
  readonly machine: {
    readonly kernel: string;
    readonly arch: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memGiB: number;
    readonly node: string;
    readonly loadStart: readonly number[];
    readonly loadEnd: readonly number[];
  };
  readonly contenders: readonly ContenderReport[];
  readonly workloads: readonly WorkloadReport[];
  readonly cells: readonly Cell[];
}
