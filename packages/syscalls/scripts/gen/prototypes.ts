/**
 * Syscall prototypes from the kernel headers: include/linux/syscalls.h,
 * include/asm-generic/syscalls.h, arch/<dir>/include/asm/syscalls*.h, and the
 * SYSCALL_DEFINE of clone in kernel/fork.c (the only place its four per-arch
 * argument orders are written with parameter names).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Param {
  name: string;
  type: string;
}

export interface Prototypes {
  /** sys_* and compat_sys_* prototypes valid on every arch. */
  global: Map<string, Param[]>;
  /** arch dir -> prototypes declared by that arch's own headers. */
  arch: Map<string, Map<string, Param[]>>;
  /** clone's parameter lists: 'default', 'CONFIG_CLONE_BACKWARDS', ..._BACKWARDS2, ..._BACKWARDS3. */
  clone: Map<string, Param[]>;
  /** arch dir -> the CLONE_BACKWARDS* options its Kconfig selects, with the bits they apply to. */
  cloneConfig: Map<string, { option: string; bits: 32 | 64 | null }[]>;
}

/** Prefix of the placeholder name given to a parameter the declaration leaves unnamed. */
export const UNNAMED = '#';
export const isUnnamed = (p: Param): boolean => p.name.startsWith(UNNAMED);

const TYPE_WORDS = new Set([
  'int',
  'long',
  'short',
  'char',
  'unsigned',
  'signed',
  'void',
  'const',
  'uint',
  'u8',
  'u16',
  'u32',
  'u64',
  's32',
  's64',
  '__u32',
  '__u64',
  '__s32',
  '__s64',
  'compat_uptr_t',
]);

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
}

/** "const char __user *filename" -> { type: 'const char __user *', name: 'filename' }. */
export function parseParam(raw: string, index: number): Param {
  const p = raw.replace(/\s+/g, ' ').trim();
  const m = /^(.*?)(\w+)(\[\])?$/.exec(p);
  if (m && m[1]!.trim() !== '' && !TYPE_WORDS.has(m[2]!) && !/_t$/.test(m[2]!)) {
    return { type: normType(m[1]! + (m[3] ? '*' : '')), name: m[2]! };
  }
  return { type: normType(p), name: `${UNNAMED}${index}` };
}

function normType(t: string): string {
  return t
    .replace(/\s*\*\s*/g, ' *')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\* \*/g, '**');
}

export function parseParams(list: string): Param[] {
  const l = list.replace(/\s+/g, ' ').trim();
  if (l === '' || l === 'void') return [];
  return l.split(',').map((p, i) => parseParam(p, i));
}

/**
 * Removes the CONFIG_ARCH_SPLIT_ARG64 branch of syscalls.h: 64-bit arguments are
 * kept whole here and split into register pairs per ABI by args.ts.
 */
function dropSplitArg64(text: string): string {
  const out: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (/^#\s*if\s+defined\(CONFIG_ARCH_SPLIT_ARG64\)|^#\s*ifdef\s+CONFIG_ARCH_SPLIT_ARG64/.test(line)) {
      skipping = true;
      continue;
    }
    if (skipping && /^#\s*(else|endif)/.test(line)) {
      skipping = false;
      continue;
    }
    if (!skipping) out.push(line);
  }
  return out.join('\n');
}

/** Every `[asmlinkage] <ret> <sys_name>(params);` declaration in a header. First named declaration wins. */
export function parseDeclarations(text: string): Map<string, Param[]> {
  const out = new Map<string, Param[]>();
  const re =
    /(?:asmlinkage\s+)?(?:long|int|void|unsigned\s+long|unsigned\s+int)\s+\*?\s*(\w*sys_\w+)\s*\(([^;{}()]*)\)\s*;/g;
  for (const m of dropSplitArg64(stripComments(text)).matchAll(re)) {
    const params = parseParams(m[2]!);
    const prev = out.get(m[1]!);
    const unnamed = (ps: Param[]) => ps.filter((p) => isUnnamed(p)).length;
    if (!prev || unnamed(params) < unnamed(prev)) out.set(m[1]!, params);
  }
  return out;
}

/** SYSCALL_DEFINEn(clone, t1, n1, ...) variants in kernel/fork.c, keyed by the #ifdef/#elif above each. */
function parseCloneVariants(text: string): Map<string, Param[]> {
  const out = new Map<string, Param[]>();
  const lines = stripComments(text).split('\n');
  let cond = 'default';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c = /^#\s*(?:ifdef|elif defined\()\s*\(?(CONFIG_CLONE_BACKWARDS\d?)/.exec(line);
    if (c) cond = c[1]!;
    else if (/^#\s*else/.test(line)) cond = 'default';
    if (!/SYSCALL_DEFINE\d\(clone,/.test(line)) continue;
    let decl = line;
    while (!decl.includes(')') && i + 1 < lines.length) decl += lines[++i];
    const body = /SYSCALL_DEFINE\d\(clone,([^)]*)\)/
      .exec(decl)![1]!
      .split(',')
      .map((s) => s.trim());
    const params: Param[] = [];
    for (let j = 0; j + 1 < body.length; j += 2)
      params.push({ type: normType(body[j]!), name: body[j + 1]! });
    out.set(cond, params);
  }
  for (const k of [
    'default',
    'CONFIG_CLONE_BACKWARDS',
    'CONFIG_CLONE_BACKWARDS2',
    'CONFIG_CLONE_BACKWARDS3',
  ]) {
    if (!out.has(k)) throw new Error(`kernel/fork.c: no clone variant for ${k}`);
  }
  return out;
}

/** Files whose SYSCALL_DEFINEs name parameters that include/linux/syscalls.h leaves unnamed. */
const DEFINE_SOURCES = [
  'kernel/sys.c',
  'kernel/signal.c',
  'net/socket.c',
  'fs/select.c',
  'fs/aio.c',
  'fs/filesystems.c',
  'fs/readdir.c',
  'security/keys/keyctl.c',
  'kernel/rseq.c',
];

/** Every .c file under arch/<dir> in the extracted tree (arch-specific SYSCALL_DEFINEs). */
function archSources(root: string, dir: string): string[] {
  const base = join(root, 'arch', dir);
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.c')) out.push(join(d, e.name));
    }
  };
  if (existsSync(base)) walk(base);
  return out.sort();
}

/** `SYSCALL_DEFINEn(name, type1, name1, ...)` -> sys_name. First definition wins. */
export function parseSyscallDefines(text: string): Map<string, Param[]> {
  const out = new Map<string, Param[]>();
  for (const m of stripComments(text).matchAll(/(?<!COMPAT_)SYSCALL_DEFINE\d\((\w+)((?:,[^)]*)?)\)/g)) {
    const body = m[2]!
      .split(',')
      .slice(1)
      .map((s) => s.trim());
    const params: Param[] = [];
    for (let j = 0; j + 1 < body.length; j += 2)
      params.push({ type: normType(body[j]!), name: body[j + 1]! });
    if (!out.has(`sys_${m[1]}`)) out.set(`sys_${m[1]}`, params);
  }
  return out;
}

/** `select CLONE_BACKWARDS*` in arch/<dir>/Kconfig; inside `config X86_32`-like blocks it applies to 32-bit only. */
function parseCloneConfig(root: string): Map<string, { option: string; bits: 32 | 64 | null }[]> {
  const out = new Map<string, { option: string; bits: 32 | 64 | null }[]>();
  for (const dir of readdirSync(join(root, 'arch'))) {
    const file = join(root, 'arch', dir, 'Kconfig');
    if (!existsSync(file)) continue;
    let block = '';
    const found: { option: string; bits: 32 | 64 | null }[] = [];
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const cfg = /^(?:menu)?config\s+(\w+)/.exec(line);
      if (cfg) block = cfg[1]!;
      const sel = /^\s+select\s+(CLONE_BACKWARDS\d?)\b(.*)$/.exec(line);
      if (!sel) continue;
      const cond = `${block} ${sel[2]}`;
      const bits = /(?:^|[^\w])(?:\w+_32|32BIT)\b/.test(cond)
        ? 32
        : /(?:^|[^\w])(?:\w+_64|64BIT)\b/.test(cond)
          ? 64
          : null;
      found.push({ option: `CONFIG_${sel[1]}`, bits });
    }
    if (found.length > 0) out.set(dir, found);
  }
  return out;
}

export function loadPrototypes(root: string): Prototypes {
  const global = new Map<string, Param[]>();
  for (const f of ['include/linux/syscalls.h', 'include/linux/compat.h', 'include/asm-generic/syscalls.h']) {
    for (const [k, v] of parseDeclarations(readFileSync(join(root, f), 'utf8')))
      if (!global.has(k)) global.set(k, v);
  }
  for (const f of DEFINE_SOURCES) {
    for (const [k, v] of parseSyscallDefines(readFileSync(join(root, f), 'utf8'))) {
      const prev = global.get(k);
      // Only fill in what the header leaves unnamed; the header stays the reference otherwise.
      if (prev === undefined || (prev.length === v.length && prev.some((p) => isUnnamed(p))))
        global.set(k, v);
    }
  }
  const arch = new Map<string, Map<string, Param[]>>();
  for (const dir of readdirSync(join(root, 'arch'))) {
    const inc = join(root, 'arch', dir, 'include/asm');
    const m = new Map<string, Param[]>();
    for (const f of (existsSync(inc) ? readdirSync(inc) : [])
      .filter((n) => /^syscalls.*\.h$/.test(n))
      .sort()) {
      for (const [k, v] of parseDeclarations(readFileSync(join(inc, f), 'utf8'))) if (!m.has(k)) m.set(k, v);
    }
    for (const f of archSources(root, dir)) {
      for (const [k, v] of parseSyscallDefines(readFileSync(f, 'utf8'))) if (!m.has(k)) m.set(k, v);
    }
    arch.set(dir, m);
  }
  return {
    global,
    arch,
    clone: parseCloneVariants(readFileSync(join(root, 'kernel/fork.c'), 'utf8')),
    cloneConfig: parseCloneConfig(root),
  };
}
