import { join } from 'node:path';
import { type FileMap, writeTree } from './tree.js';
import type { Scale, Workload } from './types.js';
import { requireTool } from './which.js';

const SIZES = { full: { spawns: 2000 }, quick: { spawns: 200 } } as const;

/** A shell loop running /bin/true: fork + execve + exit + wait, over and over. */
export const spawnStorm: Workload = {
  id: 'spawn-storm',
  title: 'spawn-storm',
  description: 'a /bin/sh loop running /bin/true 2,000 times',
  sizes: SIZES,
  files(scale: Scale): FileMap {
    const n = SIZES[scale].spawns;
    const script = `i=0\nwhile [ "$i" -lt ${n} ]; do\n  /bin/true\n  i=$((i + 1))\ndone\n`;
    return new Map([['storm.sh', { content: script }]]);
  },
  prepare(dir, scale) {
    writeTree(dir, this.files(scale));
    return { argv: [requireTool('sh', 'dash'), join(dir, 'storm.sh')], cwd: dir };
  },
};
