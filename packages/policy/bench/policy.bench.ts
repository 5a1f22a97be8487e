/**
 * Side-by-side costs (run: npx vitest bench --run). Read the ratios, not the absolute numbers:
 * - checker: a decision with 1 rule vs 200 rules (last match wins: the list is scanned backwards);
 * - resolver: our component walk through /proc/self/root vs Node's realpathSync on the same path.
 */
import { realpathSync } from 'node:fs';
import { bench, describe } from 'vitest';
import { Checker } from '../src/checker.js';
import { definePolicy, type Rule } from '../src/model.js';
import { AT_FDCWD, PathResolver } from '../src/resolve.js';

const path = Buffer.from('/usr/lib/x86_64-linux-gnu/libc.so.6');
const rules = (n: number): Rule[] =>
  Array.from({ length: n }, (_, i) => ({
    action: 'allow',
    category: 'write',
    pattern: `/srv/project${i}/**/*.o`,
  }));
const one = new Checker(definePolicy({ sandbox: { write: 'deny' }, rules: rules(1) }));
const many = new Checker(definePolicy({ sandbox: { write: 'deny' }, rules: rules(200) }));

describe('checker', () => {
  bench('1 rule', () => {
    one.check({ category: 'write', path });
  });
  bench('200 rules', () => {
    many.check({ category: 'write', path });
  });
});

const resolver = new PathResolver();
describe('resolver', () => {
  bench('PathResolver.resolve', () => {
    resolver.resolve({ pid: process.pid, dirfd: AT_FDCWD, path, followLast: true, lastMayBeMissing: false });
  });
  bench('fs.realpathSync (reference)', () => {
    realpathSync(path);
  });
});
