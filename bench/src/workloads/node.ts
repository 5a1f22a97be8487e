import { join } from 'node:path';
import { type FileMap, prng, writeTree } from './tree.js';
import type { Scale, Workload } from './types.js';

const SIZES = {
  full: { modules: 400, dataFiles: 1000 },
  quick: { modules: 60, dataFiles: 100 },
} as const;

const modPath = (i: number) => `lib/d${i % 10}/m${i}.cjs`;

/**
 * A Node.js program that requires a binary tree of modules (each a separate file in
 * one of 10 directories) and then reads and parses many small JSON files: module
 * resolution (many stat/open misses), file reads, and Node's own multithreaded start.
 * The program checks its result against the sum computed here, so a sandbox that
 * hides or corrupts files fails the workload instead of timing it.
 */
export const nodeWorkload: Workload = {
  id: 'node',
  title: 'node',
  description: 'node requires a tree of 400 generated modules and reads + parses 1,000 JSON files',
  sizes: SIZES,
  files(scale: Scale): FileMap {
    const s = SIZES[scale];
    const rnd = prng(0x40de);
    const files: FileMap = new Map();
    let moduleSum = 0;
    for (let i = 0; i < s.modules; i++) {
      const value = Math.floor(rnd() * 1000);
      moduleSum += value;
      const kids = [2 * i + 1, 2 * i + 2].filter((k) => k < s.modules);
      const from = `lib/d${i % 10}`;
      const lines = kids.map(
        (k, j) => `const k${j} = require(${JSON.stringify(relative(from, modPath(k)))});`,
      );
      const sum = [`${value}`, ...kids.map((_, j) => `k${j}()`)].join(' + ');
      files.set(modPath(i), {
        content: `'use strict';\n${lines.map((l) => `${l}\n`).join('')}module.exports = () => ${sum};\n`,
      });
    }
    let dataSum = 0;
    for (let f = 0; f < s.dataFiles; f++) {
      const items = Array.from({ length: 8 + Math.floor(rnd() * 24) }, () => Math.floor(rnd() * 1e6));
      dataSum += items.reduce((a, b) => a + b, 0);
      files.set(`data/p${f % 20}/f${f}.json`, { content: `${JSON.stringify({ id: f, items })}\n` });
    }
    files.set('main.cjs', {
      content: `'use strict';
const fs = require('node:fs');
const path = require('node:path');
const modules = require('./${modPath(0)}')();
let data = 0;
const root = path.join(__dirname, 'data');
for (const dir of fs.readdirSync(root).sort()) {
  for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(root, dir, name), 'utf8'));
    for (const v of doc.items) data += v;
  }
}
if (modules !== ${moduleSum} || data !== ${dataSum}) {
  console.error('node workload: wrong result', modules, data, 'expected ${moduleSum} ${dataSum}');
  process.exit(1);
}
`,
    });
    return files;
  },
  prepare(dir, scale) {
    writeTree(dir, this.files(scale));
    return { argv: [process.execPath, join(dir, 'main.cjs')], cwd: dir };
  },
};

/** `./x` or `../dY/x` from directory `from` to `to` (both relative to the tree root). */
function relative(from: string, to: string): string {
  const toDir = to.slice(0, to.lastIndexOf('/'));
  const base = to.slice(to.lastIndexOf('/') + 1);
  return toDir === from ? `./${base}` : `../${toDir.slice(toDir.lastIndexOf('/') + 1)}/${base}`;
}
