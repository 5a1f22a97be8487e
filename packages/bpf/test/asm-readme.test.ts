/** The README's example program is real: it assembles, loads (per the verifier) and behaves as the README says. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../src/asm/index.js';
import { disassemble } from '../src/disasm/index.js';
import { actionName, emulate } from '../src/emulator/index.js';
import { toHex } from '../src/format/index.js';
import { check } from '../src/verifier/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = /```bpf\n([\s\S]*?)```/.exec(readme)![1]!;
const consoleBlock = /```console\n([\s\S]*?)```/.exec(readme)![1]!;

describe('README example (openat.bpf)', () => {
  const prog = assemble(example);
  it('assembles, verifies and round-trips', () => {
    expect(check(prog)).toEqual({ ok: true });
    expect(assemble(disassemble(prog))).toEqual(prog);
  });
  it('prints what the README shows', () => {
    const shown = consoleBlock.split('\n');
    const outputOf = (cmd: string) => shown[shown.findIndex((l) => l.startsWith(`$ ${cmd}`)) + 1];
    expect(toHex(prog, true).split('\n').slice(0, 2)).toEqual(shown.slice(1, 3));
    const line = (nr: number, arch: number, args: bigint[]) => {
      const r = emulate(prog, { nr, arch, args });
      return `${actionName(r.action)} (0x${r.action.toString(16).padStart(8, '0')}) after ${r.executed} instructions`;
    };
    expect(line(257, 0xc000003e, [0n, 0n, 1n])).toBe(outputOf('sb bpf emulate openat.bpf --arch x86_64'));
    expect(line(3, 0x40000003, [])).toBe(outputOf('sb bpf emulate openat.bpf --arch i386'));
    expect(line(257, 0xc000003e, [0n, 0n, 0n])).toMatch(/^ALLOW /);
  });
});
