import { describe, expect, it } from 'vitest';
import { action, parseAction } from '../src/compiler/actions.js';
import { archTarget } from '../src/compiler/arches.js';
import { compile, compileDetailed } from '../src/compiler/compile.js';
import { evaluatePolicy } from '../src/compiler/reference.js';
import { parsePolicy, policyToJson } from '../src/compiler/schema.js';
import { type Policy, PolicyError } from '../src/compiler/types.js';
import { emulate } from '../src/emulator/emulate.js';
import { verify } from '../src/verifier/verify.js';
import { allNumbers, BOUNDARY_ARGS, both, compileAndCheck } from './compiler-helpers.js';

const EPERM = action.errno(1);
const ALLOW = action.allow;
const KILL = action.killProcess;

const POLICY: Policy = {
  arches: ['x86_64', 'i386', 'x32'],
  defaultAction: EPERM,
  badArchAction: KILL,
  rules: [
    { syscall: 'read', action: ALLOW },
    { syscall: 'write', action: ALLOW },
    { syscall: 'exit_group', action: ALLOW },
    { syscall: 'ptrace', action: action.killThread },
    {
      syscall: 'openat',
      action: action.errno(13),
      args: [{ index: 2, op: 'masked==', mask: 3n, value: 1n }],
    },
    { syscall: 'openat', action: ALLOW },
    { syscall: 'personality', action: ALLOW, args: [{ index: 0, op: '==', value: 0n }] },
    { syscall: 'personality', action: ALLOW, args: [{ index: 0, op: '==', value: 8n }] },
    { syscall: 'personality', action: ALLOW, args: [{ index: 0, op: '==', value: 0xffffffffn }] },
    { syscall: 'socket', action: ALLOW, args: [{ index: 0, op: '<', value: 38n }] },
    { syscall: 'socket', action: ALLOW, args: [{ index: 0, op: '>', value: 40n }] },
    { syscall: 'kill', action: action.trace(7), args: [{ index: 1, op: '>=', value: 1n << 31n }] },
    { syscall: 'arch_prctl', action: action.trap(3) },
    {
      syscall: 'mmap',
      action: action.log,
      args: [
        { index: 2, op: '!=', value: 7n },
        { index: 3, op: '<=', value: 0x22n },
      ],
    },
    { syscall: -1, action: ALLOW },
  ],
};

// libseccomp-style table: (arch, syscall, args) -> expected action.
const TABLE: [arch: string, syscall: string | number, args: bigint[], expected: number][] = [
  ['x86_64', 'read', [], ALLOW],
  ['i386', 'read', [], ALLOW],
  ['x32', 'read', [], ALLOW],
  ['x86_64', 'close', [], EPERM],
  ['x86_64', 'ptrace', [], action.killThread],
  ['i386', 'ptrace', [], action.killThread],
  ['x86_64', 'openat', [0n, 0n, 1n], action.errno(13)],
  ['x86_64', 'openat', [0n, 0n, 0n], ALLOW],
  ['x86_64', 'openat', [0n, 0n, 0x8001n], action.errno(13)],
  ['x86_64', 'openat', [0n, 0n, (1n << 32n) | 1n], action.errno(13)],
  ['i386', 'openat', [0n, 0n, 2n], ALLOW],
  ['x86_64', 'personality', [0n], ALLOW],
  ['x86_64', 'personality', [8n], ALLOW],
  ['x86_64', 'personality', [0xffffffffn], ALLOW],
  ['x86_64', 'personality', [0x1_0000_0000n], EPERM],
  ['x86_64', 'personality', [0xffff_ffff_ffff_ffffn], EPERM],
  ['x86_64', 'personality', [4n], EPERM],
  // i386 passes 32-bit registers: the syscall sees only the low half, and so does the filter.
  ['i386', 'personality', [0xffff_ffff_ffff_ffffn], ALLOW],
  ['i386', 'personality', [0x1_0000_0000n], ALLOW],
  ['x86_64', 'socket', [1n], ALLOW],
  ['x86_64', 'socket', [38n], EPERM],
  ['x86_64', 'socket', [40n], EPERM],
  ['x86_64', 'socket', [41n], ALLOW],
  ['x86_64', 'socket', [1n << 32n], ALLOW],
  ['x86_64', 'kill', [1n, 0x7fffffffn], EPERM],
  ['x86_64', 'kill', [1n, 0xffffffffn], action.trace(7)],
  ['x86_64', 'kill', [1n, 1n << 32n], action.trace(7)],
  ['i386', 'kill', [1n, 1n << 32n], EPERM],
  ['i386', 'kill', [1n, 0x80000000n], action.trace(7)],
  ['x86_64', 'kill', [1n, 1n << 63n], action.trace(7)],
  ['x86_64', 'arch_prctl', [], action.trap(3)],
  ['x86_64', 'mmap', [0n, 0n, 3n, 0x22n], action.log],
  ['x86_64', 'mmap', [0n, 0n, 7n, 0x22n], EPERM],
  ['x86_64', 'mmap', [0n, 0n, 3n, 0x1_0000_0022n], EPERM],
  ['x86_64', -1, [], ALLOW],
];

function run(
  program: ReturnType<typeof compile>,
  arch: string,
  syscall: string | number,
  args: bigint[],
): number {
  const t = archTarget(arch);
  const nr = typeof syscall === 'number' ? syscall : (t.byName.get(syscall) as number);
  expect(nr, `${syscall} on ${arch}`).toBeDefined();
  return (
    emulate(program, { arch: t.auditArch, nr: nr | 0, args }, { littleEndian: t.littleEndian }).action >>> 0
  );
}

describe('compiler: table', () => {
  const program = compile(POLICY);
  const rows = TABLE.map(([arch, syscall, args, expected]) => ({
    label: `${arch} ${syscall}(${args.map((a) => `0x${a.toString(16)}`).join(', ')})`,
    arch,
    syscall,
    args,
    expected,
  }));
  it.each(rows)('$label', ({ arch, syscall, args, expected }) => {
    expect(run(program, arch, syscall, args)).toBe(expected >>> 0);
    const t = archTarget(arch);
    const nr = typeof syscall === 'number' ? syscall : (t.byName.get(syscall) as number);
    expect(evaluatePolicy(POLICY, { arch: t.auditArch, nr, args })).toBe(expected >>> 0);
  });

  it('agrees with the reference on every syscall number and boundary arguments', () => {
    const probes = allNumbers(POLICY).flatMap((p) =>
      BOUNDARY_ARGS.map((v) => ({ ...p, args: [v, v, v, v, v, v] })),
    );
    compileAndCheck(POLICY, probes);
  });

  it('checks the architecture first', () => {
    expect(program[0]).toEqual({ code: 0x20, jt: 0, jf: 0, k: 4 });
    const aarch64 = archTarget('aarch64');
    expect(emulate(program, { arch: aarch64.auditArch, nr: 63 }).action >>> 0).toBe(KILL);
    expect(emulate(program, { arch: 0x12345678, nr: 0 }).action >>> 0).toBe(KILL);
  });
});

describe('compiler: x32 and the -1 syscall', () => {
  const x86 = archTarget('x86_64');
  const only64: Policy = { arches: ['x86_64'], defaultAction: ALLOW, badArchAction: KILL, rules: [] };
  const p = compile(only64);
  const act = (nr: number): number => emulate(p, { arch: x86.auditArch, nr }).action >>> 0;
  it('sends x32 numbers to the bad-arch action when x32 is not in the policy', () => {
    expect(act(0)).toBe(ALLOW);
    expect(act(0x40000000)).toBe(KILL);
    expect(act(0x40000000 | 59)).toBe(KILL);
    expect(act(0x7fffffff)).toBe(KILL);
  });
  it('lets -1 (a tracer-skipped call) through to the default action, not bad-arch', () => {
    expect(act(-1)).toBe(ALLOW);
    const deny = compile({ ...only64, defaultAction: EPERM });
    expect(emulate(deny, { arch: x86.auditArch, nr: -1 }).action >>> 0).toBe(EPERM);
  });
  it('x32 only: x86_64 numbers are bad-arch', () => {
    const x32: Policy = { arches: ['x32'], defaultAction: ALLOW, badArchAction: KILL, rules: [] };
    const q = compile(x32);
    expect(emulate(q, { arch: x86.auditArch, nr: 1 }).action >>> 0).toBe(KILL);
    expect(emulate(q, { arch: x86.auditArch, nr: 0x40000001 }).action >>> 0).toBe(ALLOW);
    expect(emulate(q, { arch: x86.auditArch, nr: -1 }).action >>> 0).toBe(ALLOW);
  });
});

describe('compiler: size and speed', () => {
  it('shares one ret per action and dispatches in few instructions', () => {
    const program = compile(POLICY);
    const rets = program.filter((i) => i.code === 0x06).map((i) => i.k);
    expect(new Set(rets).size).toBe(rets.length);
    // A balanced search over ~20 ranges: about 3 (arch, nr) + 5 compares + ret per syscall.
    const nrs = [...archTarget('x86_64').byNr.keys()];
    const mean =
      nrs.reduce((s, nr) => s + both(program, POLICY, { arch: 'x86_64', nr }).executed, 0) / nrs.length;
    expect(mean).toBeLessThanOrEqual(10);
  });

  it('handles jumps past 255 instructions with any number of rules', () => {
    const t = archTarget('x86_64');
    const names = [...t.byName.keys()];
    const rules = names.flatMap((name, i) => [
      {
        syscall: name,
        action: action.errno(i % 50),
        args: [{ index: i % 6, op: '==' as const, value: BigInt(i) << 32n }],
      },
      { syscall: name, action: i % 3 ? ALLOW : action.trace(i) },
    ]);
    const policy: Policy = { arches: ['x86_64', 'x32'], defaultAction: KILL, rules };
    const r = compileDetailed(policy);
    expect(r.program.length).toBeGreaterThan(512);
    expect(r.trampolines).toBeGreaterThan(0);
    verify(r.program);
    compileAndCheck(
      policy,
      allNumbers(policy).flatMap((p) => [
        { ...p, args: [0n, 0n, 0n, 0n, 0n, 0n] },
        { ...p, args: Array.from({ length: 6 }, () => BigInt(p.nr % 512) << 32n) },
      ]),
    );
  });
});

describe('compiler: errors', () => {
  it('suggests a name for an unknown syscall', () => {
    expect(() =>
      compile({ arches: ['x86_64'], defaultAction: ALLOW, rules: [{ syscall: 'opneat', action: KILL }] }),
    ).toThrow(/rules\[0\]\.syscall: "opneat" is not a syscall on x86_64 \(did you mean "openat"/);
  });
  it('skips names that exist on only some of the architectures', () => {
    const p: Policy = {
      arches: ['x86_64', 'aarch64'],
      defaultAction: ALLOW,
      rules: [{ syscall: 'open', action: KILL }],
    };
    const program = compile(p);
    expect(run(program, 'x86_64', 'open', [])).toBe(KILL);
    expect(run(program, 'aarch64', 'openat', [])).toBe(ALLOW);
  });
  it('refuses upper halves that a 32-bit ABI cannot carry, instead of dropping them', () => {
    const p: Policy = {
      arches: ['x86_64', 'i386'],
      defaultAction: ALLOW,
      rules: [{ syscall: 'kill', action: KILL, args: [{ index: 1, op: '==', value: 1n << 32n }] }],
    };
    expect(() => compile(p)).toThrow(
      /rules\[0\]\.args\[0\] on i386: value 0x100000000 has a nonzero upper half/,
    );
    expect(() => compile({ ...p, arches: ['x86_64'] })).not.toThrow();
  });
  it('rejects unknown architectures and bad indexes', () => {
    expect(() => compile({ arches: ['vax'], defaultAction: ALLOW, rules: [] })).toThrow(PolicyError);
    expect(() =>
      compile({
        arches: ['x86_64'],
        defaultAction: ALLOW,
        rules: [{ syscall: 'read', action: KILL, args: [{ index: 6, op: '==', value: 0n }] }],
      }),
    ).toThrow(/args\[0\]\.index/);
  });
});

describe('compiler: JSON rules', () => {
  const text = JSON.stringify({
    arches: ['x86_64'],
    defaultAction: 'ERRNO(EPERM)',
    rules: [
      { syscall: 'read', action: 'ALLOW' },
      { syscall: 'kill', action: 'TRACE(3)', args: [{ index: 1, op: '>=', value: '0x100000000' }] },
      { syscall: 'openat', action: 'ERRNO(13)', args: [{ index: 2, op: 'masked==', mask: 3, value: 1 }] },
    ],
  });
  it('parses and round-trips', () => {
    const p = parsePolicy(text, 'rules.json');
    expect(p.defaultAction).toBe(EPERM);
    expect(p.rules[1]?.args?.[0]?.value).toBe(1n << 32n);
    expect(parsePolicy(policyToJson(p))).toEqual(p);
  });
  it('names the path of a bad field', () => {
    const bad = JSON.stringify({
      arches: ['x86_64'],
      defaultAction: 'ALLOW',
      rules: [{ syscall: 'read', action: 'ALOW' }],
    });
    expect(() => parsePolicy(bad, 'rules.json')).toThrow(
      /rules\.json: rules\[0\]\.action: unknown action "ALOW"/,
    );
    const bad2 = JSON.stringify({
      arches: ['x86_64'],
      defaultAction: 'ALLOW',
      rules: [{ syscall: 'read', action: 'ALLOW', args: [{ index: 0, op: '=~', value: 1 }] }],
    });
    expect(() => parsePolicy(bad2, 'r.json')).toThrow(/r\.json: rules\[0\]\.args\[0\]\.op/);
    expect(() => parsePolicy('{', 'r.json')).toThrow(/r\.json: not valid JSON/);
  });
  it('parses every action spelling', () => {
    expect(parseAction('KILL_PROCESS')).toBe(KILL);
    expect(parseAction('kill')).toBe(0);
    expect(parseAction('USER_NOTIF')).toBe(action.userNotif);
    expect(parseAction('ERRNO(ENOSYS)')).toBe(action.errno(38));
    expect(parseAction('TRAP(2)')).toBe(action.trap(2));
    expect(() => parseAction('ERRNO(70000)')).toThrow(/0\.\.65535/);
  });
});
