import type { FileMap } from './tree.js';

export type Scale = 'full' | 'quick';

/** What a prepared workload runs: the command, where, and the untimed step before each run. */
export interface Prepared {
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Run natively before every run (warm-up and counted), untimed: e.g. `make clean`. */
  readonly beforeEach?: () => void;
}

export interface Workload {
  readonly id: string;
  readonly title: string;
  /** One line for the README and reports. */
  readonly description: string;
  /** Size parameters per scale (number of files, iterations...), shown in the reports. */
  readonly sizes: Readonly<Record<Scale, Readonly<Record<string, number>>>>;
  /** The generated inputs for a scale: a pure function of the scale. */
  files(scale: Scale): FileMap;
  /** Writes the inputs below `dir` (replacing it), compiles what needs compiling, returns the command. */
  prepare(dir: string, scale: Scale): Prepared;
}
