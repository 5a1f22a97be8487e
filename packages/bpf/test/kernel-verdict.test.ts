/**
 * The verifier against the real kernel: every program, random or mutated, is
 * loaded with seccomp(SECCOMP_SET_MODE_FILTER) in a child process, and the
 * kernel's verdict (accepted / EINVAL) must equal check()'s.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { disassemble } from '../src/disasm/index.js';
import { BPF_IMM, BPF_K, BPF_LD, BPF_RET, type Insn, SECCOMP_RET_ALLOW } from '../src/insn.js';
import { check, RULES, type Rule } from '../src/verifier/index.js';
import {
  arbitraryProgram,
  mutatedProgram,
  RET_FLOW_QUIRK,
  scratchProgram,
  validProgram,
} from './helpers/programs.js';
import { kernelVerdicts } from './helpers/seccomp-runner.js';

const EINVAL = 22;
const SEED = 0x5eccbf;

function corpus(): Insn[][] {
  const sample = <T>(arb: fc.Arbitrary<T>, numRuns: number, seed: number): T[] =>
    fc.sample(arb, { seed, numRuns });
  const nop: Insn = { code: BPF_LD | BPF_IMM, jt: 0, jf: 0, k: 0 };
  const allow: Insn = { code: BPF_RET | BPF_K, jt: 0, jf: 0, k: SECCOMP_RET_ALLOW };
  const sized = (n: number): Insn[] => [...Array.from({ length: n - 1 }, () => nop), allow];
  return [
    ...sample(mutatedProgram(40), 900, SEED),
    ...sample(validProgram(60), 250, SEED + 1),
    ...sample(arbitraryProgram(12), 250, SEED + 2),
    ...sample(scratchProgram(16), 300, SEED + 3),
    RET_FLOW_QUIRK,
    // Every 8-bit opcode (and a few wider ones), with k = 0 and k = 4, before a return.
    ...[...Array.from({ length: 256 }, (_, code) => code), 0x100, 0x106, 0x8000, 0xffff].flatMap((code) =>
      [0, 4].map((k) => [{ code, jt: 0, jf: 0, k }, allow]),
    ),
    // Edges of the length rule.
    [],
    sized(1),
    sized(4096),
    sized(4097),
  ];
}

// Forks one child per program: seconds on an idle machine, much more on a loaded CI runner.
describe('verifier verdict equals the kernel', { timeout: 240_000 }, () => {
  it('for at least 1000 random and mutated programs', () => {
    const programs = corpus();
    expect(programs.length).toBeGreaterThanOrEqual(1000);
    const verdicts = kernelVerdicts(programs);
    const mismatches: string[] = [];
    let accepted = 0;
    const byRule = new Map<Rule, number>();
    programs.forEach((p, i) => {
      const kernel = verdicts[i]!;
      if (kernel !== 'accepted')
        expect(kernel.errno, `program ${i} failed with errno ${kernel.errno}`).toBe(EINVAL);
      const ours = check(p);
      if (!ours.ok) byRule.set(ours.rule, (byRule.get(ours.rule) ?? 0) + 1);
      if (kernel === 'accepted') accepted++;
      if (ours.ok !== (kernel === 'accepted')) {
        mismatches.push(
          `#${i}: kernel ${kernel === 'accepted' ? 'accepts' : 'rejects'}, check() says ${
            ours.ok ? 'ok' : ours.message
          }\n${disassemble(p)}`,
        );
      }
    });
    expect(mismatches.slice(0, 3)).toEqual([]);
    // Both verdicts must be well represented, or the test would prove little.
    expect(accepted).toBeGreaterThan(programs.length * 0.25);
    expect(programs.length - accepted).toBeGreaterThan(programs.length * 0.25);
    // And every rejection rule must have been met, each against the kernel.
    for (const rule of Object.keys(RULES) as Rule[]) {
      expect(byRule.get(rule) ?? 0, `programs rejected by rule ${rule}`).toBeGreaterThanOrEqual(3);
    }
  });

  it.runIf(process.getuid?.() === 0)('unprivileged too (no_new_privs, uid 65534)', () => {
    const programs = fc.sample(mutatedProgram(30), { seed: SEED + 9, numRuns: 200 });
    const verdicts = kernelVerdicts(programs, true);
    programs.forEach((p, i) => {
      expect(check(p).ok, `program ${i}`).toBe(verdicts[i] === 'accepted');
    });
  });
});
