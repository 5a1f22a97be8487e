/**
 * Classic BPF instructions as seccomp sees them: the kernel's `struct sock_filter`
 * (u16 code, u8 jt, u8 jf, u32 k), 8 bytes each, in host byte order.
 */

export interface Insn {
  /** Opcode: class | size/op | mode/src, see the constants below. */
  readonly code: number;
  /** Jump offset when the condition is true (conditional jumps only), 0..255. */
  readonly jt: number;
  /** Jump offset when the condition is false, 0..255. */
  readonly jf: number;
  /** Immediate, offset or jump target (unsigned 32-bit). */
  readonly k: number;
}

// Instruction classes
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

// ld/ldx sizes
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;

// ld/ldx modes
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

// alu/jmp operations
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;

export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

// operand source
export const BPF_K = 0x00;
export const BPF_X = 0x08;

// ret source (BPF_K above, BPF_X above, or A)
export const BPF_A = 0x10;

// misc
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** Scratch memory slots (M[0..15]). */
export const BPF_MEMWORDS = 16;
/** Longest program the kernel accepts (BPF_MAXINSNS). */
export const BPF_MAXINSNS = 4096;
/** sizeof(struct sock_filter). */
export const INSN_SIZE = 8;

export const bpfClass = (code: number): number => code & 0x07;
export const bpfSize = (code: number): number => code & 0x18;
export const bpfMode = (code: number): number => code & 0xe0;
export const bpfOp = (code: number): number => code & 0xf0;
export const bpfSrc = (code: number): number => code & 0x08;
export const bpfRval = (code: number): number => code & 0x18;
export const bpfMiscOp = (code: number): number => code & 0xf8;

export function stmt(code: number, k: number): Insn {
  return { code, jt: 0, jf: 0, k: k >>> 0 };
}

export function jump(code: number, k: number, jt: number, jf: number): Insn {
  return { code, jt, jf, k: k >>> 0 };
}

/** Encodes instructions as the kernel's sock_filter array. Little-endian unless told otherwise. */
export function encode(program: readonly Insn[], littleEndian = true): Uint8Array {
  const out = new Uint8Array(program.length * INSN_SIZE);
  const view = new DataView(out.buffer);
  program.forEach((insn, i) => {
    const o = i * INSN_SIZE;
    view.setUint16(o, insn.code, littleEndian);
    view.setUint8(o + 2, insn.jt);
    view.setUint8(o + 3, insn.jf);
    view.setUint32(o + 4, insn.k >>> 0, littleEndian);
  });
  return out;
}

/** Decodes a sock_filter array. Throws when the length is not a multiple of 8. */
export function decode(bytes: Uint8Array, littleEndian = true): Insn[] {
  if (bytes.length % INSN_SIZE !== 0) {
    throw new RangeError(
      `a seccomp program is a sequence of 8-byte sock_filter entries; ${bytes.length} bytes is not a multiple of 8`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const program: Insn[] = [];
  for (let o = 0; o < bytes.length; o += INSN_SIZE) {
    program.push({
      code: view.getUint16(o, littleEndian),
      jt: view.getUint8(o + 2),
      jf: view.getUint8(o + 3),
      k: view.getUint32(o + 4, littleEndian),
    });
  }
  return program;
}

/**
 * struct seccomp_data { int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6]; }
 * Offsets of each 32-bit half: a 64-bit field's low word is at +0 on little-endian
 * ABIs and at +4 on big-endian ones.
 */
export const SECCOMP_DATA_SIZE = 64;
export const SECCOMP_DATA_NR = 0;
export const SECCOMP_DATA_ARCH = 4;
export const SECCOMP_DATA_IP = 8;
export const SECCOMP_DATA_ARGS = 16;

export interface Word64Offsets {
  readonly lo: number;
  readonly hi: number;
}

export function ipOffsets(littleEndian: boolean): Word64Offsets {
  return littleEndian ? { lo: 8, hi: 12 } : { lo: 12, hi: 8 };
}

export function argOffsets(index: number, littleEndian: boolean): Word64Offsets {
  if (!Number.isInteger(index) || index < 0 || index > 5) {
    throw new RangeError(`seccomp_data has args[0..5]; there is no args[${index}]`);
  }
  const base = SECCOMP_DATA_ARGS + index * 8;
  return littleEndian ? { lo: base, hi: base + 4 } : { lo: base + 4, hi: base };
}

// Seccomp return values (include/uapi/linux/seccomp.h). Full action = (action & ACTION_FULL) | data.
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
export const SECCOMP_RET_TRAP = 0x00030000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
export const SECCOMP_RET_TRACE = 0x7ff00000;
export const SECCOMP_RET_LOG = 0x7ffc0000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ACTION_FULL = 0xffff0000;
export const SECCOMP_RET_DATA = 0x0000ffff;
