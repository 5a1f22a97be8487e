/**
 * A small C preprocessor for uapi headers: enough to collect `#define NAME value`
 * (errno, signals, AUDIT_ARCH) the way user space sees them. Follows
 * #include of files that exist in the source tree, evaluates #if/#ifdef with the
 * given predefined macros (__KERNEL__ and __ASSEMBLER__ are undefined), and
 * evaluates integer constant expressions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Define {
  name: string;
  body: string;
  /** Trailing comment on the #define line, if any. */
  comment: string | undefined;
  file: string;
  line: number;
}

export interface CppOptions {
  /** Directories searched for <...> includes, in order. */
  includeDirs: string[];
  /** Macros defined before the first line (e.g. { __i386__: '1' }). */
  predefined?: Record<string, string>;
}

export class Preprocessor {
  readonly defines = new Map<string, Define>();
  private readonly seen = new Set<string>();

  constructor(private readonly opts: CppOptions) {
    for (const [name, body] of Object.entries(opts.predefined ?? {})) {
      this.defines.set(name, { name, body, comment: undefined, file: '<predefined>', line: 0 });
    }
  }

  /** Processes a file given by path. Missing include targets outside the tree are skipped. */
  run(file: string): this {
    if (this.seen.has(file)) return this;
    this.seen.add(file);
    const lines = joinContinuations(readFileSync(file, 'utf8'));
    // Each frame: is this branch active, has any branch of this #if been taken, was the parent active.
    const stack: { active: boolean; taken: boolean; parent: boolean }[] = [];
    const active = () => stack.every((f) => f.active);
    let inComment = false;
    lines.forEach(({ text, line }) => {
      let src = text;
      if (inComment) {
        const end = src.indexOf('*/');
        if (end < 0) return;
        src = src.slice(end + 2);
        inComment = false;
      }
      const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(src);
      if (!m) {
        if (/\/\*(?!.*\*\/)/.test(src)) inComment = true;
        return;
      }
      const [, directive, restRaw] = m as unknown as [string, string, string];
      const { code: rest, comment } = splitComment(restRaw);
      if (/\/\*(?!.*\*\/)/.test(restRaw)) inComment = true;
      switch (directive) {
        case 'ifdef':
        case 'ifndef': {
          const parent = active();
          const def = this.defines.has(rest.trim());
          const cond = directive === 'ifdef' ? def : !def;
          stack.push({ active: cond, taken: cond, parent });
          return;
        }
        case 'if': {
          const parent = active();
          const cond = parent ? this.evalCondition(rest, file, line) : false;
          stack.push({ active: cond, taken: cond, parent });
          return;
        }
        case 'elif': {
          const f = stack[stack.length - 1];
          if (!f) throw new Error(`${file}:${line}: #elif without #if`);
          const cond = !f.taken && f.parent && this.evalCondition(rest, file, line);
          f.active = cond;
          f.taken ||= cond;
          return;
        }
        case 'else': {
          const f = stack[stack.length - 1];
          if (!f) throw new Error(`${file}:${line}: #else without #if`);
          f.active = !f.taken;
          f.taken = true;
          return;
        }
        case 'endif':
          if (!stack.pop()) throw new Error(`${file}:${line}: #endif without #if`);
          return;
        default:
          break;
      }
      if (!active()) return;
      if (directive === 'define') {
        const d = /^(\w+)(\([^)]*\))?\s*(.*)$/.exec(rest.trim());
        if (!d) throw new Error(`${file}:${line}: bad #define`);
        if (d[2]) return; // function-like macros are not needed here
        this.defines.set(d[1]!, { name: d[1]!, body: d[3]!.trim(), comment, file, line });
      } else if (directive === 'undef') {
        this.defines.delete(rest.trim());
      } else if (directive === 'include') {
        const inc = /^[<"]([^>"]+)[>"]/.exec(rest.trim());
        if (!inc) throw new Error(`${file}:${line}: bad #include`);
        const target = this.opts.includeDirs.map((d) => join(d, inc[1]!)).find((p) => existsSync(p));
        // Headers outside the extracted set (linux/types.h ...) declare types, not the constants read here.
        if (target) this.run(target);
      }
    });
    if (stack.length > 0) throw new Error(`${file}: unterminated #if`);
    return this;
  }

  /** Defines a macro from outside the headers (a value the uapi view leaves to another header). */
  define(name: string, body: string, file: string): void {
    this.defines.set(name, { name, body, comment: undefined, file, line: 0 });
  }

  /** Integer value of a macro, with macros in its body expanded. */
  value(name: string): number {
    return evalExpr(this.expand(name, new Set()));
  }

  /** Whether a macro's body is a plain reference to another macro (an alias such as EWOULDBLOCK). */
  aliasOf(name: string, pattern: RegExp): string | undefined {
    const body = this.defines
      .get(name)
      ?.body.replace(/^\((.*)\)$/, '$1')
      .trim();
    return body && pattern.test(body) && this.defines.has(body) ? body : undefined;
  }

  private expand(name: string, seen: Set<string>): string {
    const d = this.defines.get(name);
    if (!d) throw new Error(`macro ${name} is not defined`);
    if (seen.has(name)) throw new Error(`macro ${name} is recursive`);
    const next = new Set(seen).add(name);
    return `(${d.body.replace(/\b[A-Za-z_]\w*\b/g, (id) => (this.defines.has(id) ? this.expand(id, next) : id))})`;
  }

  private evalCondition(expr: string, file: string, line: number): boolean {
    const replaced = expr
      .replace(/defined\s*\(\s*(\w+)\s*\)|defined\s+(\w+)/g, (_, a, b) =>
        this.defines.has(a ?? b) ? '1' : '0',
      )
      .replace(/\b[A-Za-z_]\w*\b/g, (id) => (this.defines.has(id) ? this.expand(id, new Set()) : '0'));
    try {
      return evalExpr(replaced) !== 0;
    } catch (e) {
      throw new Error(`${file}:${line}: cannot evaluate #if ${expr}: ${(e as Error).message}`);
    }
  }
}

function joinContinuations(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let cur = lines[i]!;
    while (cur.endsWith('\\') && i + 1 < lines.length) cur = cur.slice(0, -1) + lines[++i]!;
    out.push({ text: cur, line: start + 1 });
  }
  return out;
}

function splitComment(text: string): { code: string; comment: string | undefined } {
  const block = /\/\*(.*?)(\*\/|$)/.exec(text);
  const line = text.indexOf('//');
  let code = text;
  let comment: string | undefined;
  if (block && (line < 0 || block.index < line)) {
    code = text.slice(0, block.index) + (block[2] ? text.slice(block.index + block[0].length) : '');
    comment = block[1]!.trim() || undefined;
  } else if (line >= 0) {
    code = text.slice(0, line);
    comment = text.slice(line + 2).trim() || undefined;
  }
  return { code: code.trim(), comment };
}

/** Evaluates a C integer constant expression (no identifiers left) with 32-bit unsigned results for | & ~. */
export function evalExpr(src: string): number {
  const toks =
    src.match(
      /0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*|<<|>>|==|!=|<=|>=|&&|\|\||[-+*/%()|&^~!<>?:]|\S/g,
    ) ?? [];
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];
  const prec: Record<string, number> = {
    '||': 1,
    '&&': 2,
    '|': 3,
    '^': 4,
    '&': 5,
    '==': 6,
    '!=': 6,
    '<': 7,
    '>': 7,
    '<=': 7,
    '>=': 7,
    '<<': 8,
    '>>': 8,
    '+': 9,
    '-': 9,
    '*': 10,
    '/': 10,
    '%': 10,
  };
  const unary = (): number => {
    const t = next();
    if (t === undefined) throw new Error(`unexpected end of "${src}"`);
    if (t === '(') {
      const v = binary(0);
      if (next() !== ')') throw new Error(`missing ) in "${src}"`);
      return v;
    }
    if (t === '-') return -unary();
    if (t === '+') return unary();
    if (t === '~') return ~unary() >>> 0;
    if (t === '!') return unary() === 0 ? 1 : 0;
    if (/^\d|^0x/i.test(t)) return Number(t.replace(/[uUlL]+$/, ''));
    throw new Error(`unexpected "${t}" in "${src}"`);
  };
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '||':
        return a || b ? 1 : 0;
      case '&&':
        return a && b ? 1 : 0;
      case '|':
        return (a | b) >>> 0;
      case '^':
        return (a ^ b) >>> 0;
      case '&':
        return (a & b) >>> 0;
      case '==':
        return a === b ? 1 : 0;
      case '!=':
        return a !== b ? 1 : 0;
      case '<':
        return a < b ? 1 : 0;
      case '>':
        return a > b ? 1 : 0;
      case '<=':
        return a <= b ? 1 : 0;
      case '>=':
        return a >= b ? 1 : 0;
      case '<<':
        return a * 2 ** b;
      case '>>':
        return Math.floor(a / 2 ** b);
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return Math.trunc(a / b);
      case '%':
        return a % b;
      default:
        throw new Error(`operator ${op}`);
    }
  };
  const binary = (min: number): number => {
    let left = unary();
    for (;;) {
      const op = peek();
      const p = op === undefined ? undefined : prec[op];
      if (p === undefined || p < min) return left;
      next();
      left = apply(op!, left, binary(p + 1));
    }
  };
  const v = binary(0);
  if (pos !== toks.length) throw new Error(`trailing "${toks.slice(pos).join(' ')}" in "${src}"`);
  return v;
}
