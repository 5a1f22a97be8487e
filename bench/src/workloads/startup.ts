import { type FileMap, writeTree } from './tree.js';
import type { Workload } from './types.js';

/** `/bin/true` once: what the sandbox itself costs to set up and tear down. */
export const startup: Workload = {
  id: 'startup',
  title: 'startup',
  description: '`/bin/true` once: the fixed cost of starting and ending the sandbox',
  sizes: { full: {}, quick: {} },
  files(): FileMap {
    return new Map();
  },
  prepare(dir) {
    writeTree(dir, this.files('full'));
    return { argv: ['/bin/true'], cwd: dir };
  },
};
