/**
 * The merged filter against @sb/policy's per-ABI rules: for every ABI of this
 * machine and every rule list, the emulated program returns what the first
 * matching rule says (libseccomp-style table plus seeded property tests).
 */
import { actionName, emulate } from '@sb/bpf';
import { compileSyscallRules, type SyscallRule } from '@sb/policy';
import { getArch, syscallByName } from '@sb/syscalls';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPolicy, compileFilter, defaultProfile, hostAbis } from '../src/index.js';

const POLICIES = {
  default: defaultProfile('/work'),
  paludis: buildPolicy([{ profile: 'paludis' }]).policy,
  everything: buildPolicy([
    {
      magic: 'core/sandbox/read:deny',
    },
    { magic: 'core/sandbox/exec:deny' },
    { magic: 'core/sandbox/stat:deny' },
    { magic: 'core/sandbox/network:deny' },
    { magic: 'core/sandbox/write:deny' },
  ]).policy,
};

function expected(rules: readonly SyscallRule[], args: readonly bigint[]): string {
  for (const r of rules) {
    const holds = (r.args ?? []).every((c) => {
      const v = Number((args[c.arg] ?? 0n) & 0xffffffffn) >>> 0;
      return c.op === 'EQ' ? v === c.value >>> 0 : (v & (c.mask ?? 0xffffffff)) >>> 0 === c.value >>> 0;
    });
    if (!holds) continue;
    if (r.action === 'allow') return 'ALLOW';
    if ('deny' in r.action) return `ERRNO(${r.action.deny})`;
    return `TRACE(${r.action.trace})`;
  }
  return 'ALLOW';
}

describe('compileFilter', () => {
  const abis = hostAbis();

  it('names the native ABI first and its compat ABIs', () => {
    expect(abis[0]).toBe(getArch(process.arch === 'x64' ? 'x86_64' : 'aarch64').name);
    if (process.arch === 'x64') expect(abis).toEqual(['x86_64', 'i386', 'x32']);
  });

  it.each(Object.keys(POLICIES))(
    '%s: every rule of every ABI behaves as @sb/policy says (seeded property test)',
    (name) => {
      const policy = POLICIES[name as keyof typeof POLICIES];
      const filter = compileFilter(policy, abis);
      for (const abi of abis) {
        const arch = getArch(abi);
        const rules = compileSyscallRules(policy, arch).rules;
        const byNr = new Map<number, SyscallRule[]>();
        for (const r of rules) byNr.set(r.nr, [...(byNr.get(r.nr) ?? []), r]);
        const flagValues = [
          ...new Set(rules.flatMap((r) => (r.args ?? []).flatMap((c) => [c.value, c.mask ?? 0]))),
        ];
        for (const [nr, list] of byNr) {
          if (list[0]!.syscall === 'clone' || list[0]!.syscall === 'clone3') continue;
          const widened = filter.widened.includes(list[0]!.syscall);
          fc.assert(
            fc.property(
              fc.array(
                fc.oneof(
                  fc.constantFrom(...flagValues.map(BigInt), 0n),
                  fc.bigInt({ min: 0n, max: 0xffffffffn }),
                ),
                {
                  minLength: 6,
                  maxLength: 6,
                },
              ),
              (args) => {
                const got = actionName(emulate(filter.program, { nr, arch: arch.auditArch, args }).action);
                if (widened) expect(got).toMatch(/^TRACE\(/);
                else expect(got, `${abi} ${list[0]!.syscall}`).toBe(expected(list, args));
              },
            ),
            { seed: 7, numRuns: 20 },
          );
        }
      }
    },
  );

  it.each([
    ['x86_64', 'openat', [0, 0, 0], 'ALLOW'], // O_RDONLY: read is off in the default profile
    ['x86_64', 'openat', [0, 0, 1], 'TRACE(7)'], // O_WRONLY: write is checked
    ['x86_64', 'openat', [0, 0, 0o100], 'TRACE(7)'], // O_CREAT
    ['x86_64', 'connect', [3, 0, 16], 'TRACE(6)'],
    ['x86_64', 'bind', [3, 0, 16], 'TRACE(5)'],
    ['x86_64', 'sendto', [3, 0, 1, 0, 0, 0], 'ALLOW'], // no address: connected socket
    ['x86_64', 'mkdir', [0, 0], 'TRACE(2)'],
    ['x86_64', 'read', [0, 0, 0], 'ALLOW'],
    ['x86_64', 'clone', [0], 'TRACE(0)'], // the engine's own trap
    ['x86_64', 'clone3', [0], 'TRACE(0)'],
    ['x86_64', 'open_by_handle_at', [0], 'ERRNO(1)'],
    ['x86_64', 'ptrace', [16, 1], 'ERRNO(1)'], // PTRACE_ATTACH: only outside processes are left
    ['x86_64', 'process_vm_writev', [1], 'ERRNO(1)'],
    ['x86_64', 'ioctl', [0, 0x5412], 'ERRNO(1)'], // TIOCSTI
    ['x86_64', 'ioctl', [0, 0x100005412], 'ERRNO(1)'], // the kernel ignores the upper half
    ['x86_64', 'ioctl', [0, 0x541c], 'ERRNO(1)'], // TIOCLINUX
    ['x86_64', 'ioctl', [0, 0x5401], 'ALLOW'], // TCGETS
    ['i386', 'ioctl', [0, 0x5412], 'ERRNO(1)'],
    ['x32', 'ioctl', [0, 0x5412], 'ERRNO(1)'],
    ['i386', 'openat', [0, 0, 1], 'TRACE(7)'],
    ['i386', 'socketcall', [2, 0], 'TRACE(8)'], // SYS_BIND
    ['i386', 'socketcall', [1, 0], 'ALLOW'], // SYS_SOCKET
    ['x32', 'openat', [0, 0, 1], 'TRACE(7)'],
    ['x32', 'read', [0], 'ALLOW'],
  ] as const)('default profile: %s %s %s -> %s', (abi, name, args, want) => {
    const filter = compileFilter(POLICIES.default, abis);
    const arch = getArch(abi);
    const n = syscallNr(abi, name);
    const a = args.map((x) => BigInt(x));
    expect(actionName(emulate(filter.program, { nr: n, arch: arch.auditArch, args: a }).action)).toBe(want);
  });

  it('kills a process on an ABI the filter does not name', () => {
    const filter = compileFilter(POLICIES.default, abis);
    const aarch64 = getArch('aarch64');
    expect(actionName(emulate(filter.program, { nr: 56, arch: aarch64.auditArch, args: [] }).action)).toBe(
      'KILL_PROCESS',
    );
  });
});

function syscallNr(abi: string, name: string): number {
  const s = syscallByName(abi, name);
  if (!s) throw new Error(`${name} not on ${abi}`);
  return s.nr;
}
