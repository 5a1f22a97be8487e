import { join } from 'node:path';
import { type FileMap, prng, writeTree } from './tree.js';
import type { Scale, Workload } from './types.js';
import { requireTool } from './which.js';

const SIZES = {
  full: { dirs: 20, subdirs: 20, files: 50 },
  quick: { dirs: 10, subdirs: 10, files: 20 },
} as const;

/** find + cat over a fixed tree of small files: path lookups, stat and open/read/close, no CPU work. */
export const statStorm: Workload = {
  id: 'stat-storm',
  title: 'stat-storm',
  description:
    'find + cat over a generated tree of small files (20 x 20 x 50 = 20,000 files, 1-8 lines each)',
  sizes: SIZES,
  files(scale: Scale): FileMap {
    const s = SIZES[scale];
    const rnd = prng(0x5747);
    const files: FileMap = new Map();
    for (let d = 0; d < s.dirs; d++)
      for (let e = 0; e < s.subdirs; e++)
        for (let f = 0; f < s.files; f++) {
          const rel = `tree/d${d}/e${e}/f${f}.txt`;
          const lines = 1 + Math.floor(rnd() * 8);
          let content = '';
          for (let l = 0; l < lines; l++) content += `${rel} line ${l} ${Math.floor(rnd() * 1e9)}\n`;
          files.set(rel, { content });
        }
    return files;
  },
  prepare(dir, scale) {
    writeTree(dir, this.files(scale));
    const find = requireTool('find', 'findutils');
    const cat = requireTool('cat', 'coreutils');
    return { argv: [find, join(dir, 'tree'), '-type', 'f', '-exec', cat, '--', '{}', '+'], cwd: dir };
  },
};
