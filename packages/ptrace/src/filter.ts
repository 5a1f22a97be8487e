/**
 * A minimal seccomp program builder for tracing: SECCOMP_RET_TRACE for chosen
 * syscall numbers (or all), with the architecture checked first. Policy filters
 * are @sb/bpf's job; this exists so the engine, its probe, its tests and `sb trace`
 * need nothing else. The output is the kernel's sock_filter array (8 bytes each).
 */

export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;

const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const RET_K = 0x06;

export interface TraceFilterOptions {
  /** AUDIT_ARCH_* of the native ABI. Other ABIs are traced in full (the tracer decides). */
  readonly auditArch: number;
  /** Syscall numbers to trace; undefined traces every syscall. */
  readonly trace?: readonly number[];
  /** Bit that marks a sub-ABI sharing the audit arch (x32: 0x40000000), traced in full. */
  readonly subAbiBit?: number;
  /** SECCOMP_RET_DATA for the trace action (0..0xffff), reported at each seccomp stop. */
  readonly data?: number;
}

interface Ins {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** Encodes a program as sock_filter bytes (host byte order, little-endian on x86_64/aarch64). */
export function encodeFilter(prog: readonly Ins[]): Uint8Array {
  const out = new Uint8Array(prog.length * 8);
  const v = new DataView(out.buffer);
  prog.forEach((p, i) => {
    v.setUint16(i * 8, p.code, true);
    v.setUint8(i * 8 + 2, p.jt);
    v.setUint8(i * 8 + 3, p.jf);
    v.setUint32(i * 8 + 4, p.k >>> 0, true);
  });
  return out;
}

/** RET_TRACE for the listed numbers (or all), RET_ALLOW for the rest of the native ABI. */
export function traceFilter(opts: TraceFilterOptions): Uint8Array {
  const data = (opts.data ?? 0) & 0xffff;
  const trace = (SECCOMP_RET_TRACE | data) >>> 0;
  const prog: Ins[] = [];
  // A = seccomp_data.arch; foreign ABI -> trace.
  prog.push({ code: LD_W_ABS, jt: 0, jf: 0, k: 4 });
  prog.push({ code: JEQ_K, jt: 1, jf: 0, k: opts.auditArch >>> 0 });
  prog.push({ code: RET_K, jt: 0, jf: 0, k: trace });
  // A = seccomp_data.nr
  prog.push({ code: LD_W_ABS, jt: 0, jf: 0, k: 0 });
  if (opts.subAbiBit) {
    prog.push({ code: JSET_K, jt: 0, jf: 1, k: opts.subAbiBit >>> 0 });
    prog.push({ code: RET_K, jt: 0, jf: 0, k: trace });
  }
  if (opts.trace === undefined) {
    prog.push({ code: RET_K, jt: 0, jf: 0, k: trace });
    return encodeFilter(prog);
  }
  const nrs = [...new Set(opts.trace)].sort((a, b) => a - b);
  if (nrs.length > 1000) throw new RangeError('too many syscalls to list in a trace filter');
  // Linear compare list: each JEQ jumps to the final RET_TRACE.
  const n = nrs.length;
  nrs.forEach((nr, i) => {
    const toTrace = n - i; // skip the remaining JEQs and the RET_ALLOW
    if (toTrace > 255) throw new RangeError('trace filter too long for 8-bit jumps');
    prog.push({ code: JEQ_K, jt: toTrace, jf: 0, k: nr >>> 0 });
  });
  prog.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
  prog.push({ code: RET_K, jt: 0, jf: 0, k: trace });
  return encodeFilter(prog);
}

/** SECCOMP_RET_DATA of the engine's own filter (a user filter installed later wins ties). */
export const ENGINE_FILTER_DATA = 0xffff;

/**
 * The engine's own filter, installed before any user filter: RET_TRACE for the
 * process-creating calls that can escape ptrace (clone with CLONE_UNTRACED, clone3)
 * on every ABI of the host, whatever the user's filter says (seccomp keeps the
 * highest-precedence verdict of all filters: TRACE beats ALLOW, ERRNO/KILL beat TRACE).
 */
export function engineFilter(abis: readonly { auditArch: number; nrs: readonly number[] }[]): Uint8Array {
  const trace = (SECCOMP_RET_TRACE | ENGINE_FILTER_DATA) >>> 0;
  const prog: Ins[] = [{ code: LD_W_ABS, jt: 0, jf: 0, k: 4 }];
  // Per arch: JEQ arch (skip its block when not equal), LD nr, JEQ nr... -> TRACE, else ALLOW.
  for (const { auditArch, nrs } of abis) {
    const block: Ins[] = [{ code: LD_W_ABS, jt: 0, jf: 0, k: 0 }];
    nrs.forEach((nr, i) => {
      block.push({ code: JEQ_K, jt: nrs.length - i, jf: 0, k: nr >>> 0 });
    });
    block.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
    block.push({ code: RET_K, jt: 0, jf: 0, k: trace });
    prog.push({ code: JEQ_K, jt: 0, jf: block.length, k: auditArch >>> 0 });
    prog.push(...block);
  }
  prog.push({ code: RET_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW });
  return encodeFilter(prog);
}
