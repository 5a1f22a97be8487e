import fc from 'fast-check';
import { describe, it } from 'vitest';
import { action } from '../src/compiler/actions.js';
import { archTarget } from '../src/compiler/arches.js';
import { compile } from '../src/compiler/compile.js';
import { type ArgCondition, CMP_OPS, type Policy, type PolicyRule } from '../src/compiler/types.js';
import { allNumbers, BOUNDARY_ARGS, both } from './compiler-helpers.js';

const ACTIONS = [
  action.allow,
  action.errno(1),
  action.errno(13),
  action.killProcess,
  action.killThread,
  action.trap(1),
  action.trace(9),
  action.log,
  action.userNotif,
];
const ARCH_SETS = [
  ['x86_64'],
  ['x86_64', 'i386', 'x32'],
  ['i386'],
  ['aarch64', 'x86_64'],
  ['x32', 'x86_64'],
  ['aarch64'],
  // Big-endian ABIs, where the halves of a 64-bit argument swap places; mips n32 passes 64-bit registers.
  ['s390x', 's390'],
  ['mips64n32', 'mips64', 'mips'],
];
const BOUND32 = BOUNDARY_ARGS.filter((v) => v >> 32n === 0n);

/** A few names per set so that random rules pile up on the same syscalls. */
function namePool(arches: readonly string[]): (string | number)[] {
  const names = new Set<string>();
  for (const a of arches) for (const n of [...archTarget(a).byName.keys()].slice(0, 25)) names.add(n);
  return [...names, -1, 0, 1];
}

const policyArb = fc.constantFrom(...ARCH_SETS).chain((arches) => {
  const has32 = arches.some((a) => archTarget(a).argBits === 32);
  const values = has32 ? BOUND32 : BOUNDARY_ARGS;
  const valueArb = fc.oneof(
    fc.constantFrom(...values),
    has32 ? fc.bigInt(0n, 0xffffffffn) : fc.bigInt(0n, (1n << 64n) - 1n),
  );
  const cond: fc.Arbitrary<ArgCondition> = fc
    .record({
      index: fc.integer({ min: 0, max: 2 }),
      op: fc.constantFrom(...CMP_OPS),
      value: valueArb,
      mask: valueArb,
    })
    .map(({ index, op, value, mask }) =>
      op === 'masked==' ? { index, op, value: value & mask, mask } : { index, op, value },
    );
  const rule: fc.Arbitrary<PolicyRule> = fc.record({
    syscall: fc.constantFrom(...namePool(arches)),
    action: fc.constantFrom(...ACTIONS),
    args: fc.array(cond, { maxLength: 3 }),
  });
  return fc.record({
    arches: fc.constant(arches),
    defaultAction: fc.constantFrom(...ACTIONS),
    badArchAction: fc.constantFrom(action.killProcess, action.errno(38)),
    rules: fc.array(rule, { maxLength: 40 }),
  });
});

describe('compiler: properties (fast-check, seeded)', () => {
  it('compiled programs agree with the reference evaluation on every syscall number', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (policy: Policy, seed) => {
        const program = compile(policy);
        const values = policy.arches.some((a) => archTarget(a).argBits === 32)
          ? BOUNDARY_ARGS
          : BOUNDARY_ARGS;
        let s = seed;
        const pick = (): bigint => {
          s = (s * 1103515245 + 12345) & 0x7fffffff;
          return values[s % values.length] as bigint;
        };
        for (const p of allNumbers(policy)) {
          for (let k = 0; k < 2; k++) {
            const args = [pick(), pick(), pick(), pick(), pick(), pick()];
            const r = both(program, policy, { ...p, args });
            if (r.bpf !== r.ref) {
              throw new Error(
                `${p.arch} nr=${p.nr} args=${args.map((a) => a.toString(16))}: bpf ${r.bpf.toString(16)} ref ${r.ref.toString(16)}`,
              );
            }
          }
        }
      }),
      { seed: 20261129, numRuns: 200 },
    );
  });
});
