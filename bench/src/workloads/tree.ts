/** Generated file trees: written from an in-memory map, and hashed to show that a generator is deterministic. */

import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface GenFile {
  readonly content: string;
  readonly mode?: number;
}

/** Relative path (with `/`) -> file. */
export type FileMap = Map<string, GenFile>;

/** Replaces `dir` with exactly the files of `files`. */
export function writeTree(dir: string, files: FileMap): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const made = new Set<string>();
  for (const [rel, f] of files) {
    if (rel.startsWith('/') || rel.split('/').includes('..'))
      throw new Error(`generated path escapes the tree: ${rel}`);
    const path = join(dir, rel);
    const parent = dirname(path);
    if (!made.has(parent)) {
      mkdirSync(parent, { recursive: true });
      made.add(parent);
    }
    writeFileSync(path, f.content);
    if (f.mode !== undefined) chmodSync(path, f.mode);
  }
}

/** sha256 over every regular file's relative path, permission bits and content, in sorted order. */
export function hashTree(dir: string): string {
  const h = createHash('sha256');
  const walk = (rel: string): void => {
    const names = readdirSync(join(dir, rel)).sort();
    for (const name of names) {
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) walk(r);
      else if (st.isFile()) {
        h.update(`${r}\0${(st.mode & 0o777).toString(8)}\0${st.size}\0`);
        h.update(readFileSync(join(dir, r)));
      } else throw new Error(`unexpected file type in generated tree: ${r}`);
    }
  };
  walk('');
  return h.digest('hex');
}

/** mulberry32: a small seeded PRNG, so generated sizes and contents are the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
