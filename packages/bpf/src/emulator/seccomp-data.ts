import { SECCOMP_DATA_SIZE } from '../insn.js';

/** The kernel's struct seccomp_data, as a filter sees it. */
export interface SeccompData {
  /** Syscall number (an int: -1 after a tracer skipped the call). */
  nr: number;
  /** AUDIT_ARCH_* value (unsigned). */
  arch: number;
  /** Instruction pointer (u64). Defaults to 0. */
  ip?: bigint;
  /** Up to six arguments (u64 each; negative values are taken modulo 2^64). Missing ones are 0. */
  args?: readonly bigint[];
}

/** __AUDIT_ARCH_LE: set in every little-endian AUDIT_ARCH_* value. */
export const AUDIT_ARCH_LE = 0x40000000;
/** __AUDIT_ARCH_64BIT. */
export const AUDIT_ARCH_64BIT = 0x80000000;

/** Byte order of the ABI an AUDIT_ARCH_* value names (its __AUDIT_ARCH_LE bit). */
export function auditArchIsLittleEndian(arch: number): boolean {
  return ((arch >>> 0) & AUDIT_ARCH_LE) !== 0;
}

const MASK64 = (1n << 64n) - 1n;

function split64(v: bigint | undefined, what: string): [lo: number, hi: number] {
  if (v === undefined) return [0, 0];
  if (typeof v !== 'bigint') throw new TypeError(`seccomp_data ${what} must be a bigint, got ${typeof v}`);
  const u = v & MASK64;
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}

/**
 * The 16 aligned 32-bit words of seccomp_data, each as a `BPF_LD|BPF_W|BPF_ABS` at
 * offset 4*i reads it: 64-bit fields are stored in the ABI's byte order, so on a
 * little-endian ABI the low half comes first.
 */
export function seccompDataWords(data: SeccompData, littleEndian: boolean): Uint32Array {
  if (!Number.isInteger(data.nr)) throw new TypeError(`seccomp_data nr must be an integer, got ${data.nr}`);
  if (!Number.isInteger(data.arch))
    throw new TypeError(`seccomp_data arch must be an integer, got ${data.arch}`);
  const args = data.args ?? [];
  if (args.length > 6) throw new RangeError(`seccomp_data has 6 arguments, got ${args.length}`);
  const words = new Uint32Array(SECCOMP_DATA_SIZE / 4);
  words[0] = data.nr >>> 0;
  words[1] = data.arch >>> 0;
  const put = (index: number, v: bigint | undefined, what: string): void => {
    const [lo, hi] = split64(v, what);
    words[index] = littleEndian ? lo : hi;
    words[index + 1] = littleEndian ? hi : lo;
  };
  put(2, data.ip, 'ip');
  for (let i = 0; i < 6; i++) put(4 + 2 * i, args[i], `args[${i}]`);
  return words;
}

/** seccomp_data as the kernel lays it out in memory for the given byte order (64 bytes). */
export function seccompDataBytes(data: SeccompData, littleEndian: boolean): Uint8Array {
  const words = seccompDataWords(data, littleEndian);
  const out = new Uint8Array(SECCOMP_DATA_SIZE);
  const view = new DataView(out.buffer);
  words.forEach((w, i) => {
    view.setUint32(i * 4, w, littleEndian);
  });
  return out;
}
