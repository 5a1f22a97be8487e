import { archTarget } from '../src/compiler/arches.js';
import { compile } from '../src/compiler/compile.js';
import { evaluatePolicy } from '../src/compiler/reference.js';
import type { Policy } from '../src/compiler/types.js';
import { emulate } from '../src/emulator/emulate.js';
import type { Insn } from '../src/insn.js';

/** Boundary values the issue asks for, plus a few around them. */
export const BOUNDARY_ARGS: readonly bigint[] = [
  0n,
  1n,
  0x7fffffffn,
  1n << 31n,
  (1n << 32n) - 1n,
  1n << 32n,
  (1n << 32n) + 1n,
  1n << 63n,
  (1n << 64n) - 1n,
];

export interface Probe {
  readonly arch: string;
  readonly nr: number;
  readonly args?: readonly bigint[];
}

/** Every (arch, nr) of the policy's ABIs plus numbers around the x32 bit and -1. */
export function allNumbers(policy: Policy): Probe[] {
  const out: Probe[] = [];
  for (const a of policy.arches) {
    const t = archTarget(a);
    const nrs = new Set<number>([...t.byNr.keys()]);
    const top = Math.max(...nrs);
    for (const extra of [
      top + 1,
      top + 100,
      0x3fffffff,
      0x40000000,
      0x40000001,
      0x7fffffff,
      0x80000000,
      0xfffffffe,
      0xffffffff,
    ]) {
      nrs.add(extra >>> 0);
    }
    for (const nr of nrs) out.push({ arch: t.name, nr });
  }
  return out;
}

/** Runs the program and the reference on one probe; returns both actions and the instruction count. */
export function both(
  program: readonly Insn[],
  policy: Policy,
  p: Probe,
): { bpf: number; ref: number; executed: number } {
  const t = archTarget(p.arch);
  const data = { arch: t.auditArch, nr: p.nr | 0, args: p.args ?? [] };
  const r = emulate(program, data, { littleEndian: t.littleEndian });
  if (r.fault) throw new Error(`emulator fault: ${r.fault}`);
  return { bpf: r.action >>> 0, ref: evaluatePolicy(policy, data), executed: r.executed };
}

export function compileAndCheck(policy: Policy, probes: readonly Probe[]): Insn[] {
  const program = compile(policy);
  for (const p of probes) {
    const { bpf, ref } = both(program, policy, p);
    if (bpf !== ref) {
      throw new Error(
        `mismatch on ${p.arch} nr=${p.nr} args=[${(p.args ?? []).map((a) => `0x${a.toString(16)}`)}]: bpf 0x${bpf.toString(16)} reference 0x${ref.toString(16)}`,
      );
    }
  }
  return program;
}
