import { endianness } from 'node:os';
import { disassemble, disassembleItems } from '../disasm/disassemble.js';
import { decode, encode, INSN_SIZE, type Insn } from '../insn.js';
import { lookupArch } from '../names.js';
import { toCArray } from './c-array.js';

export { type CArrayOptions, opcodeMacros, toCArray } from './c-array.js';

export const OUTPUT_FORMATS = ['raw', 'hex', 'c', 'text'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const INPUT_FORMATS = ['raw', 'hex'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

export interface FormatOptions {
  /** Target architecture: names in the text form, byte order of raw and hex output. */
  arch?: string;
  /** Byte order of raw/hex output; default the architecture's, else the host's. */
  littleEndian?: boolean;
  /** C array name. */
  name?: string;
}

function byteOrder(opts: FormatOptions): boolean {
  if (opts.littleEndian !== undefined) return opts.littleEndian;
  if (opts.arch !== undefined) return lookupArch(opts.arch).endian === 'little';
  return endianness() === 'LE';
}

/** One instruction per line: its 8 bytes (sock_filter, in the target's byte order) as 16 hex digits. */
export function toHex(program: readonly Insn[], littleEndian = endianness() === 'LE'): string {
  const bytes = encode(program, littleEndian);
  const lines: string[] = [];
  for (let o = 0; o < bytes.length; o += INSN_SIZE) {
    lines.push(Buffer.from(bytes.subarray(o, o + INSN_SIZE)).toString('hex'));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Parses hex dumps: hex digits with any whitespace, `#` comments allowed; 16 digits per instruction. */
export function fromHex(text: string, littleEndian = endianness() === 'LE'): Insn[] {
  const digits = text.replace(/#.*$/gm, '').replace(/\s+/g, '');
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) throw new Error(`hex input holds '${bad[0]}', which is not a hex digit`);
  if (digits.length % (2 * INSN_SIZE) !== 0) {
    throw new Error(
      `hex input has ${digits.length} digits; each instruction is ${2 * INSN_SIZE} digits (8 bytes), so it must be a multiple of ${2 * INSN_SIZE}`,
    );
  }
  return decode(Uint8Array.from(Buffer.from(digits, 'hex')), littleEndian);
}

/** A program in one of the output formats: bytes for `raw`, text otherwise. */
export function formatProgram(
  program: readonly Insn[],
  format: OutputFormat,
  opts: FormatOptions = {},
): Uint8Array | string {
  switch (format) {
    case 'raw':
      return encode(program, byteOrder(opts));
    case 'hex':
      return toHex(program, byteOrder(opts));
    case 'c': {
      const { items } = disassembleItems(program, opts.arch !== undefined ? { arch: opts.arch } : {});
      return toCArray(program, {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        comments: items.map((item) => (item.label ? `${item.label}: ${item.text}` : item.text)),
      });
    }
    case 'text':
      return disassemble(program, opts.arch !== undefined ? { arch: opts.arch } : {});
  }
}

/** Reads a program from raw sock_filter bytes or a hex dump. */
export function parseProgram(input: Uint8Array, format: InputFormat, opts: FormatOptions = {}): Insn[] {
  const le = byteOrder(opts);
  if (format === 'raw') return decode(input, le);
  return fromHex(Buffer.from(input).toString('utf8'), le);
}
