/** Tokens of one line of the text form. */

export type TokenKind = 'ident' | 'number' | 'punct' | 'directive';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based column. */
  readonly column: number;
}

/** An error in assembler input, with where it is (1-based line and column). */
export class AsmError extends Error {
  readonly line: number;
  readonly column: number;
  readonly detail: string;
  constructor(detail: string, line: number, column: number, source?: string) {
    super(`${source ? `${source}:` : ''}${line}:${column}: ${detail}`);
    this.name = 'AsmError';
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

// Longest operators first.
const PUNCT = [
  '<<=',
  '>>=',
  '==',
  '!=',
  '>=',
  '<=',
  '>>',
  '<<',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '=',
  '>',
  '<',
  '&',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  ':',
  '+',
  '-',
  '.',
];

/** Strips a `#` or `//` comment. */
export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  const slashes = line.indexOf('//');
  const cut = [hash, slashes].filter((i) => i >= 0);
  return cut.length === 0 ? line : line.slice(0, Math.min(...cut));
}

export function tokenize(line: string, lineNo: number): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const rest = line.slice(i);
    const directive = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (directive && tokens.length === 0) {
      tokens.push({ kind: 'directive', text: directive[0], column: i + 1 });
      i += directive[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      tokens.push({ kind: 'ident', text: ident[0], column: i + 1 });
      i += ident[0].length;
      continue;
    }
    const num = /^(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)(?![A-Za-z0-9_])/.exec(rest);
    if (num) {
      tokens.push({ kind: 'number', text: num[0], column: i + 1 });
      i += num[0].length;
      continue;
    }
    if (/^[0-9]/.test(rest)) throw new AsmError(`malformed number '${/^\w+/.exec(rest)![0]}'`, lineNo, i + 1);
    const p = PUNCT.find((op) => rest.startsWith(op));
    if (p === undefined) throw new AsmError(`unexpected character '${ch}'`, lineNo, i + 1);
    tokens.push({ kind: 'punct', text: p, column: i + 1 });
    i += p.length;
  }
  return tokens;
}

export function parseNumber(text: string): number {
  const lower = text.toLowerCase();
  if (lower.startsWith('0x')) return Number.parseInt(lower.slice(2), 16);
  if (lower.startsWith('0o')) return Number.parseInt(lower.slice(2), 8);
  if (lower.startsWith('0b')) return Number.parseInt(lower.slice(2), 2);
  return Number.parseInt(lower, 10);
}
