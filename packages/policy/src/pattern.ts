/**
 * Path patterns as sydbox-1 reads them: wildmatch globs, `dir/***` for a
 * directory and everything below it, and patterns without wildcards matched
 * literally or (core/match/no_wildcard:prefix) as `pattern/***`.
 */

import { hasWildcard, wildmatch } from './wildmatch.js';

export type NoWildcardMode = 'literal' | 'prefix';

export interface MatchOptions {
  /** How to read patterns that have no `*`, `?` or `[`. Default 'literal'. */
  readonly noWildcard?: NoWildcardMode;
  /** Default true. */
  readonly caseSensitive?: boolean;
}

export interface PathMatcher {
  /** The pattern as written. */
  readonly source: Uint8Array;
  /** How it is matched: a glob, an exact path, or a path and everything below it. */
  readonly kind: 'glob' | 'literal' | 'prefix';
  matches(path: Uint8Array): boolean;
}

const SLASH = 0x2f;
const TRIPLE = Buffer.from('/***');

export function toBytes(s: string | Uint8Array): Uint8Array {
  return typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
}

function endsWith(a: Uint8Array, suffix: Uint8Array): boolean {
  if (a.length < suffix.length) return false;
  for (let i = 0; i < suffix.length; i++) if (a[a.length - suffix.length + i] !== suffix[i]) return false;
  return true;
}

function foldEq(a: Uint8Array, b: Uint8Array, start: number, fold: boolean): boolean {
  // Is a[0..] equal to b[start..start+a.length]?
  if (start + a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]!;
    let y = b[start + i]!;
    if (fold) {
      if (x >= 0x41 && x <= 0x5a) x += 0x20;
      if (y >= 0x41 && y <= 0x5a) y += 0x20;
    }
    if (x !== y) return false;
  }
  return true;
}

/** `dir` and everything below it, on component boundaries (`/tmp` covers `/tmp/x`, not `/tmpfoo`). */
function prefixMatcher(source: Uint8Array, dir: Uint8Array, fold: boolean): PathMatcher {
  let end = dir.length;
  while (end > 1 && dir[end - 1] === SLASH) end--;
  const base = dir.subarray(0, end);
  const root = base.length === 1 && base[0] === SLASH;
  return {
    source,
    kind: 'prefix',
    matches(path) {
      if (root) return path.length > 0 && path[0] === SLASH;
      if (!foldEq(base, path, 0, fold)) return false;
      return path.length === base.length || path[base.length] === SLASH;
    },
  };
}

/**
 * Compile one path pattern. `dir/***` (any pattern) matches `dir` and `dir/**`;
 * a pattern without wildcards is compared byte for byte (`literal`) or as a
 * directory prefix (`prefix`, sydbox's sydbox-0 compatibility mode).
 */
export function compilePathPattern(pattern: string | Uint8Array, options: MatchOptions = {}): PathMatcher {
  const source = toBytes(pattern);
  const fold = options.caseSensitive === false;
  if (endsWith(source, TRIPLE)) {
    const dir = source.subarray(0, source.length - TRIPLE.length);
    if (!hasWildcard(dir)) {
      // Literal directory: unescaped, a plain component-boundary prefix.
      return prefixMatcher(source, dir.length === 0 ? Buffer.from('/') : dir, fold);
    }
    const below = Buffer.concat([dir, Buffer.from('/**')]);
    return {
      source,
      kind: 'glob',
      matches: (path) =>
        wildmatch(dir, path, { caseInsensitive: fold }) || wildmatch(below, path, { caseInsensitive: fold }),
    };
  }
  if (!hasWildcard(source)) {
    if (options.noWildcard === 'prefix') return prefixMatcher(source, source, fold);
    return {
      source,
      kind: 'literal',
      matches: (path) => path.length === source.length && foldEq(source, path, 0, fold),
    };
  }
  return { source, kind: 'glob', matches: (path) => wildmatch(source, path, { caseInsensitive: fold }) };
}
