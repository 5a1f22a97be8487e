/** AUDIT_ARCH values, errno and signal names, read from the uapi headers with the small preprocessor. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchSpec } from './arch-specs.js';
import { Preprocessor } from './cpp.js';

export interface NamedNumberOut {
  name: string;
  number: number;
  description?: string;
  /** Set when this name is another spelling of `aliasOf` (EWOULDBLOCK -> EAGAIN). */
  aliasOf?: string;
}

/** Macros the compiler predefines for user space on this ABI (they select header branches). */
function compilerMacros(spec: ArchSpec): Record<string, string> {
  const m: Record<string, string> = { __linux__: '1' };
  if (spec.name === 'i386') m.__i386__ = '1';
  if (spec.name === 'x86_64') m.__x86_64__ = '1';
  if (spec.name === 'x32') {
    m.__x86_64__ = '1';
    m.__ILP32__ = '1';
  }
  if (spec.archDir === 'powerpc' && spec.bits === 64) m.__powerpc64__ = '1';
  if (spec.archDir === 'sparc' && spec.bits === 64) m.__arch64__ = '1';
  if (spec.archDir === 'mips') {
    m._MIPS_SIM_ABI32 = '1';
    m._MIPS_SIM_NABI32 = '2';
    m._MIPS_SIM_ABI64 = '3';
    m._MIPS_SIM = spec.abis.includes('o32') ? '1' : spec.abis.includes('n32') ? '2' : '3';
    m._MIPS_SZLONG = String(spec.bits);
  }
  m.__BITS_PER_LONG = String(spec.name === 'x32' || spec.name.endsWith('n32') ? 32 : spec.bits);
  return m;
}

function preprocessor(root: string, spec: ArchSpec): Preprocessor {
  return new Preprocessor({
    includeDirs: [join(root, 'arch', spec.archDir, 'include/uapi'), join(root, 'include/uapi')],
    predefined: compilerMacros(spec),
  });
}

/** The arch's own uapi header, or the asm-generic one when the arch uses the generic (Kbuild generic-y). */
function asmHeader(root: string, spec: ArchSpec, header: string): string {
  const own = join(root, 'arch', spec.archDir, 'include/uapi/asm', header);
  return existsSync(own) ? own : join(root, 'include/uapi/asm-generic', header);
}

export function auditArch(root: string, name: string): number {
  const cpp = new Preprocessor({ includeDirs: [join(root, 'include/uapi')] });
  cpp.run(join(root, 'include/uapi/linux/elf-em.h')).run(join(root, 'include/uapi/linux/audit.h'));
  return cpp.value(name) >>> 0;
}

function collect(cpp: Preprocessor, pattern: RegExp, skip: Set<string>): NamedNumberOut[] {
  const out: NamedNumberOut[] = [];
  for (const d of cpp.defines.values()) {
    if (!pattern.test(d.name) || skip.has(d.name)) continue;
    let number: number;
    try {
      number = cpp.value(d.name);
    } catch {
      continue; // not an integer constant (e.g. SIG_DFL casts)
    }
    const alias = cpp.aliasOf(d.name, pattern);
    const entry: NamedNumberOut = { name: d.name, number };
    if (d.comment) entry.description = d.comment.replace(/\s+/g, ' ');
    if (alias) entry.aliasOf = alias;
    out.push(entry);
  }
  // Primary names first for each number, so number -> name picks the canonical spelling.
  return out.sort((a, b) => a.number - b.number || Number(!!a.aliasOf) - Number(!!b.aliasOf));
}

export function errnos(root: string, spec: ArchSpec): NamedNumberOut[] {
  const cpp = preprocessor(root, spec).run(asmHeader(root, spec, 'errno.h'));
  return collect(cpp, /^E[A-Z0-9]+$/, new Set());
}

const NOT_SIGNALS = new Set([
  'SIGSTKSZ',
  'MINSIGSTKSZ',
  'SIGSTKFLT_',
  'SIG_BLOCK',
  'SIG_UNBLOCK',
  'SIG_SETMASK',
]);

export function signals(root: string, spec: ArchSpec): NamedNumberOut[] {
  const cpp = preprocessor(root, spec).run(asmHeader(root, spec, 'signal.h'));
  if (!cpp.defines.has('_NSIG')) {
    // Some uapi headers define SIGRTMAX as _NSIG but leave _NSIG to the kernel's
    // own arch/<dir>/include/asm/signal.h (x86, arm, ...): take it from there.
    const file = join(root, 'arch', spec.archDir, 'include/asm/signal.h');
    const m = existsSync(file) ? /^#define\s+_NSIG\s+(\w+)/m.exec(readFileSync(file, 'utf8')) : null;
    if (!m) throw new Error(`${spec.name}: _NSIG is defined neither in the uapi signal.h nor in ${file}`);
    cpp.define('_NSIG', m[1]!, file);
    // s390 spells it _SIGCONTEXT_NSIG, from its uapi sigcontext.h.
    if (!/^\d+$/.test(m[1]!)) cpp.run(join(root, 'arch', spec.archDir, 'include/uapi/asm/sigcontext.h'));
  }
  return collect(cpp, /^SIG[A-Z0-9]+$/, NOT_SIGNALS).filter((s) => s.number > 0 && s.number <= 128);
}

/** Sub-call numbers of socketcall(2) (SYS_* in linux/net.h) and ipc(2) (linux/ipc.h). */
export function multiplexerCalls(root: string): {
  socketcall: Record<string, number>;
  ipc: Record<string, number>;
} {
  const net = new Preprocessor({ includeDirs: [] }).run(join(root, 'include/uapi/linux/net.h'));
  const socketcall: Record<string, number> = {};
  for (const d of net.defines.values()) {
    if (/^SYS_[A-Z0-9]+$/.test(d.name)) socketcall[d.name.slice(4).toLowerCase()] = net.value(d.name);
  }
  const ipcH = new Preprocessor({ includeDirs: [] }).run(join(root, 'include/uapi/linux/ipc.h'));
  const ipc: Record<string, number> = {};
  for (const d of ipcH.defines.values()) {
    if (/^(SEM|MSG|SHM)(OP|GET|CTL|TIMEDOP|SND|RCV|AT|DT)$/.test(d.name))
      ipc[d.name.toLowerCase()] = ipcH.value(d.name);
  }
  return { socketcall, ipc };
}
