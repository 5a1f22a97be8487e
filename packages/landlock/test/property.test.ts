/**
 * Soundness of the translation, by property: whenever the ruleset would let a write
 * through that the policy denies, the translation must say so (an unenforced part with
 * no residual). And it never denies what the policy allows for a path it granted.
 */
import { Checker, definePolicy, type Rule } from '@sb/policy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FS, type FsView, isBeneath, type PathGrant, translate } from '../src/index.js';

const DIRS = ['/a', '/a/b', '/a/b/c', '/a/d', '/e', '/e/f'];
const FILES = ['/a/x', '/a/b/y', '/a/b/c/z', '/a/d/w', '/e/v', '/e/f/u'];
const fs: FsView = {
  kind: (p) => (p === '/' || DIRS.includes(p) ? 'dir' : FILES.includes(p) ? 'file' : 'missing'),
  list: (d) =>
    [...DIRS, ...FILES]
      .filter((x) => x.startsWith(d === '/' ? '/' : `${d}/`) && !x.slice(d.length + 1).includes('/'))
      .map((x) => x.slice(d === '/' ? 1 : d.length + 1)),
};

const pattern = fc.oneof(
  fc.constantFrom(...DIRS).map((d) => `${d}/***`),
  fc.constantFrom(...FILES, ...DIRS),
  fc.constantFrom('/a/*/c/***', '/a/b/*', '/e/**', '/a/?'),
);
const rule = fc.record({
  action: fc.constantFrom('allow', 'deny', 'allow', 'filter'),
  category: fc.constant('write'),
  pattern,
}) as fc.Arbitrary<Rule>;

function landlockAllowsWrite(grants: readonly PathGrant[], path: string): boolean {
  return grants.some(
    (g) =>
      (g.access & FS.WRITE_FILE) !== 0n && (g.kind === 'tree' ? isBeneath(path, g.path) : g.path === path),
  );
}

describe('translation soundness (property, seeded)', () => {
  it('a write Landlock lets through that the policy denies is always reported', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 6 }), fc.boolean(), (rules, beneath) => {
        const policy = definePolicy({
          sandbox: { write: 'deny' },
          rules,
          options: { allow: { perProcessDirectories: false } },
        });
        const t = translate(policy, { abi: 7, fs, purpose: beneath ? 'beneath' : 'alone' });
        const checker = new Checker(policy);
        for (const path of FILES) {
          const denied = checker.check({ category: 'write', path: Buffer.from(path) }).decision !== 'allow';
          if (denied && landlockAllowsWrite(t.ruleset.paths, path)) expect(t.residual).toBeNull();
        }
      }),
      { seed: 20261129, numRuns: 400 },
    );
  });

  it('every existing file the policy allows to be written is writable under Landlock', () => {
    fc.assert(
      fc.property(
        fc.array(
          rule.filter((r) => r.action === 'allow'),
          { maxLength: 6 },
        ),
        (rules) => {
          const policy = definePolicy({
            sandbox: { write: 'deny' },
            rules,
            options: { allow: { perProcessDirectories: false } },
          });
          const t = translate(policy, { abi: 7, fs });
          const checker = new Checker(policy);
          for (const path of FILES) {
            if (checker.check({ category: 'write', path: Buffer.from(path) }).decision === 'allow')
              expect(landlockAllowsWrite(t.ruleset.paths, path)).toBe(true);
          }
        },
      ),
      { seed: 20261129, numRuns: 400 },
    );
  });
});

describe('beneath a supervisor (property, seeded)', () => {
  it('never denies a write the policy allows, to existing or missing paths', () => {
    const MISSING = ['/a/new', '/a/b/new', '/e/f/new'];
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            rule,
            fc
              .constantFrom(...MISSING)
              .map((p) => ({ action: 'allow', category: 'write', pattern: p }) as Rule),
          ),
          { maxLength: 6 },
        ),
        (rules) => {
          const policy = definePolicy({
            sandbox: { write: 'deny' },
            rules,
            options: { allow: { perProcessDirectories: false } },
          });
          const t = translate(policy, { abi: 7, fs, purpose: 'beneath' });
          const checker = new Checker(policy);
          for (const path of [...FILES, ...MISSING]) {
            if (checker.check({ category: 'write', path: Buffer.from(path) }).decision !== 'allow') continue;
            const parent = path.slice(0, path.lastIndexOf('/'));
            // An existing file needs WRITE_FILE on it; a missing one MAKE_REG on its parent directory.
            if (FILES.includes(path)) expect(landlockAllowsWrite(t.ruleset.paths, path)).toBe(true);
            else
              expect(
                t.ruleset.paths.some(
                  (g) => g.kind === 'tree' && (g.access & FS.MAKE_REG) !== 0n && isBeneath(parent, g.path),
                ),
              ).toBe(true);
          }
        },
      ),
      { seed: 20261129, numRuns: 400 },
    );
  });
});
