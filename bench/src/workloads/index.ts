import { build } from './build.js';
import { nodeWorkload } from './node.js';
import { spawnStorm } from './spawn-storm.js';
import { startup } from './startup.js';
import { statStorm } from './stat-storm.js';
import { syscallMicro } from './syscall-micro.js';
import type { Workload } from './types.js';
import { writeMicro } from './write-micro.js';

export type { Prepared, Scale, Workload } from './types.js';

/** Every workload, in report order. */
export const WORKLOADS: readonly Workload[] = [
  statStorm,
  build,
  spawnStorm,
  syscallMicro,
  writeMicro,
  nodeWorkload,
  startup,
];
