/**
 * rsync's wildmatch semantics on bytes (sydbox-1 borrowed rsync's matcher):
 * `*` matches within one path component, `**` crosses `/`, `?` is one byte
 * other than `/`, `[...]` classes (`!` or `^` negate, ranges, `[:alpha:]`-style
 * names) match `/` only when they list it literally, and `\` escapes the next byte. The match is anchored
 * at both ends. Paths are bytes because Linux paths need not be UTF-8.
 */

const TRUE = 1;
const FALSE = 0;
// Pattern cannot match any later position either: stop all backtracking.
const ABORT_ALL = -1;
// A single `*` hit a `/`: only an enclosing `**` may go on trying.
const ABORT_TO_STARSTAR = -2;

const SLASH = 0x2f;
const STAR = 0x2a;
const QUESTION = 0x3f;
const BACKSLASH = 0x5c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COLON = 0x3a;
const DASH = 0x2d;
const BANG = 0x21;
const CARET = 0x5e;

export interface WildmatchOptions {
  /** ASCII case folding (sydbox's core/match/case_sensitive:false). */
  readonly caseInsensitive?: boolean;
}

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) => isUpper(c) || isLower(c);
const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);
const isPrint = (c: number) => c >= 0x20 && c <= 0x7e;
const isGraph = (c: number) => c > 0x20 && c <= 0x7e;

/** The POSIX classes of the "C" locale (bytes >= 0x80 belong to none). */
const CLASSES: Readonly<Record<string, (c: number) => boolean>> = {
  alnum: (c) => isAlpha(c) || isDigit(c),
  alpha: isAlpha,
  blank: (c) => c === 0x20 || c === 0x09,
  cntrl: (c) => c < 0x20 || c === 0x7f,
  digit: isDigit,
  graph: isGraph,
  lower: isLower,
  print: isPrint,
  punct: (c) => isGraph(c) && !isAlpha(c) && !isDigit(c),
  space: isSpace,
  upper: isUpper,
  xdigit: (c) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
};

function dowild(p: Uint8Array, pi: number, t: Uint8Array, ti: number, fold: boolean): number {
  for (; pi < p.length; pi++, ti++) {
    let pc = p[pi]!;
    if (ti >= t.length && pc !== STAR) return ABORT_ALL;
    let tc = ti < t.length ? t[ti]! : 0;
    if (fold) tc = lower(tc);
    switch (pc) {
      case BACKSLASH:
        // A trailing backslash matches nothing (pc becomes "end of pattern").
        pi++;
        if (pi >= p.length) return FALSE;
        pc = p[pi]!;
        if ((fold ? lower(pc) : pc) !== tc) return FALSE;
        continue;
      case QUESTION:
        if (tc === SLASH) return FALSE;
        continue;
      case STAR: {
        let special = false;
        pi++;
        if (pi < p.length && p[pi] === STAR) {
          while (pi < p.length && p[pi] === STAR) pi++;
          special = true;
        }
        if (pi >= p.length) {
          // Trailing `**` matches everything; trailing `*` only what has no `/` left.
          if (!special && t.indexOf(SLASH, ti) !== -1) return FALSE;
          return TRUE;
        }
        for (;;) {
          if (ti >= t.length) return ABORT_ALL;
          const m = dowild(p, pi, t, ti, fold);
          if (m !== FALSE) {
            if (!special || m !== ABORT_TO_STARSTAR) return m;
          } else if (!special && t[ti] === SLASH) {
            return ABORT_TO_STARSTAR;
          }
          ti++;
        }
      }
      case LBRACKET: {
        pi++;
        if (pi >= p.length) return ABORT_ALL;
        pc = p[pi]!;
        const negated = pc === BANG || pc === CARET;
        if (negated) {
          pi++;
          if (pi >= p.length) return ABORT_ALL;
          pc = p[pi]!;
        }
        let prev = -1;
        let matched = false;
        // Only a class that names '/' literally may match it (rsync's published
        // cases expect `foo[/]bar` to match); ranges and negations never do, so
        // `[!.]` cannot cross a component the way `?` cannot.
        let namesSlash = false;
        // do { ... } while (next != ']'): the first byte may be a literal ']'.
        for (;;) {
          if (pc === BACKSLASH) {
            pi++;
            if (pi >= p.length) return ABORT_ALL;
            pc = p[pi]!;
            if (tc === (fold ? lower(pc) : pc)) matched = true;
            if (pc === SLASH) namesSlash = true;
          } else if (pc === DASH && prev >= 0 && pi + 1 < p.length && p[pi + 1] !== RBRACKET) {
            pi++;
            pc = p[pi]!;
            if (pc === BACKSLASH) {
              pi++;
              if (pi >= p.length) return ABORT_ALL;
              pc = p[pi]!;
            }
            const raw = ti < t.length ? t[ti]! : 0;
            if ((raw <= pc && raw >= prev) || (fold && tc <= lower(pc) && tc >= lower(prev))) matched = true;
            if (fold && isLower(tc) && tc - 0x20 <= pc && tc - 0x20 >= prev) matched = true;
            pc = -1; // a range cannot start a range
          } else if (pc === LBRACKET && pi + 1 < p.length && p[pi + 1] === COLON) {
            const start = pi + 2;
            let end = start;
            while (end < p.length && p[end] !== RBRACKET) end++;
            if (end >= p.length) return ABORT_ALL;
            const len = end - start - 1;
            if (len < 0 || p[end - 1] !== COLON) {
              // No ":]": the '[' is an ordinary member.
              if (tc === LBRACKET) matched = true;
              pc = LBRACKET;
            } else {
              const name = Buffer.from(p.subarray(start, start + len)).toString('latin1');
              const test = CLASSES[name];
              if (!test) return ABORT_ALL; // malformed [:class:]
              const raw = ti < t.length ? t[ti]! : 0;
              if (test(raw) || (fold && (name === 'upper' || name === 'lower') && isAlpha(raw)))
                matched = true;
              pi = end;
              pc = -1;
            }
          } else if (tc === (fold ? lower(pc) : pc)) {
            matched = true;
            if (pc === SLASH) namesSlash = true;
          }
          prev = pc;
          pi++;
          if (pi >= p.length) return ABORT_ALL;
          pc = p[pi]!;
          if (pc === RBRACKET) break;
        }
        if (matched === negated) return FALSE;
        if (tc === SLASH && (negated || !namesSlash)) return FALSE;
        continue;
      }
      default:
        if ((fold ? lower(pc) : pc) !== tc) return FALSE;
        continue;
    }
  }
  return ti >= t.length ? TRUE : FALSE;
}

/** Whether `text` matches the whole `pattern` (rsync wildmatch semantics). */
export function wildmatch(pattern: Uint8Array, text: Uint8Array, options: WildmatchOptions = {}): boolean {
  return dowild(pattern, 0, text, 0, options.caseInsensitive === true) === TRUE;
}

/** Whether a pattern uses wildcards (`*`, `?` or `[`); sydbox matches others literally or as prefixes. */
export function hasWildcard(pattern: Uint8Array): boolean {
  for (const c of pattern) if (c === STAR || c === QUESTION || c === LBRACKET) return true;
  return false;
}
