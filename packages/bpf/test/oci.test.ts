import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { action } from '../src/compiler/actions.js';
import { archTarget } from '../src/compiler/arches.js';
import { compile } from '../src/compiler/compile.js';
import { evaluatePolicy } from '../src/compiler/reference.js';
import type { Policy } from '../src/compiler/types.js';
import { emulate } from '../src/emulator/emulate.js';
import { MOBY_DEFAULT_CAPS as DOCKER_CAPS } from '../src/oci/caps.js';
import { exportOci } from '../src/oci/export.js';
import { importOci } from '../src/oci/import.js';
import { allNumbers, BOUNDARY_ARGS, compileAndCheck } from './compiler-helpers.js';

const DOCKER = readFileSync(
  new URL('../../../../shared/corpus/seccomp/docker-default.json', import.meta.url),
  'utf8',
);
const EPERM = action.errno(1);
const ALLOW = action.allow;
const CLONE_NEWNS = 0x20000n;
const SIGCHLD = 17n;
const CLONE_THREAD_FLAGS = 0x3d0f00n; // what glibc's pthread_create passes

function runner(policy: Policy) {
  const program = compile(policy);
  return (arch: string, syscall: string, args: bigint[] = []): number => {
    const t = archTarget(arch);
    const nr = t.byName.get(syscall);
    if (nr === undefined) throw new Error(`${syscall} is not on ${arch}`);
    const data = { arch: t.auditArch, nr, args };
    const got = emulate(program, data, { littleEndian: t.littleEndian }).action >>> 0;
    expect(got, `${arch} ${syscall}: bpf vs reference`).toBe(evaluatePolicy(policy, data));
    return got;
  };
}

describe('OCI: Docker default profile', () => {
  const x86 = importOci(DOCKER, { arch: 'x86_64', caps: DOCKER_CAPS, kernel: '6.1' }, 'docker-default.json');
  const run = runner(x86.policy);

  it('serves x86_64, i386 and x32 on x86_64 (archMap)', () => {
    expect(x86.policy.arches).toEqual(['x86_64', 'i386', 'x32']);
    expect(x86.policy.defaultAction).toBe(EPERM);
  });

  const rows: [arch: string, syscall: string, args: bigint[], expected: number][] = [
    ['x86_64', 'read', [], ALLOW],
    ['x86_64', 'openat', [], ALLOW],
    ['x86_64', 'mount', [], EPERM],
    ['x86_64', 'reboot', [], EPERM],
    ['x86_64', 'kexec_load', [], EPERM],
    ['x86_64', 'chroot', [], ALLOW], // CAP_SYS_CHROOT is in Docker's default set
    ['x86_64', 'ptrace', [], ALLOW], // minKernel 4.8, kernel 6.1
    ['x86_64', 'arch_prctl', [], ALLOW],
    ['x86_64', 'modify_ldt', [], ALLOW],
    ['x86_64', 'personality', [0n], ALLOW],
    ['x86_64', 'personality', [8n], ALLOW],
    ['x86_64', 'personality', [0x20000n], ALLOW],
    ['x86_64', 'personality', [0x20008n], ALLOW],
    ['x86_64', 'personality', [0xffffffffn], ALLOW],
    ['x86_64', 'personality', [4n], EPERM],
    ['x86_64', 'personality', [0x0040000n], EPERM],
    ['x86_64', 'personality', [0x1_0000_0000n], EPERM],
    ['x86_64', 'clone', [SIGCHLD], ALLOW],
    ['x86_64', 'clone', [CLONE_THREAD_FLAGS], ALLOW],
    ['x86_64', 'clone', [CLONE_NEWNS | SIGCHLD], EPERM],
    ['x86_64', 'clone', [0x10000000n], EPERM], // CLONE_NEWUSER
    ['x86_64', 'clone', [0x1_0000_0000n | SIGCHLD], ALLOW], // the mask covers the low word only
    ['x86_64', 'clone3', [], action.errno(38)], // ENOSYS, so libcs fall back to clone
    ['x86_64', 'unshare', [], EPERM],
    ['x86_64', 'socket', [2n], ALLOW], // AF_INET
    ['x86_64', 'socket', [37n], ALLOW],
    ['x86_64', 'socket', [38n], EPERM],
    ['x86_64', 'socket', [39n], ALLOW],
    ['x86_64', 'socket', [40n], EPERM], // AF_VSOCK
    ['x86_64', 'socket', [41n], ALLOW],
    ['x86_64', 'bpf', [], EPERM],
    ['x86_64', 'perf_event_open', [], EPERM],
    ['i386', 'read', [], ALLOW],
    ['i386', 'socketcall', [], ALLOW], // cannot be filtered by socket family: a known limit
    ['i386', 'personality', [0xffffffffn], ALLOW],
    ['i386', 'clone', [CLONE_NEWNS | SIGCHLD], EPERM],
    ['i386', 'mount', [], EPERM],
    ['x32', 'read', [], ALLOW],
    ['x32', 'mount', [], EPERM],
  ];
  it.each(
    rows.map(([a, s, args, e]) => ({
      label: `${a} ${s}(${args.map((x) => `0x${x.toString(16)}`)})`,
      a,
      s,
      args,
      e,
    })),
  )('$label', ({ a, s, args, e }) => {
    expect(run(a, s, args)).toBe(e >>> 0);
  });

  it('applies capabilities and kernel versions', () => {
    const admin = runner(
      importOci(DOCKER, { arch: 'x86_64', caps: [...DOCKER_CAPS, 'CAP_SYS_ADMIN'], kernel: '6.1' }).policy,
    );
    expect(admin('x86_64', 'mount')).toBe(ALLOW);
    expect(admin('x86_64', 'clone', [CLONE_NEWNS])).toBe(ALLOW);
    expect(admin('x86_64', 'clone3')).toBe(ALLOW);
    const old = runner(importOci(DOCKER, { arch: 'x86_64', caps: DOCKER_CAPS, kernel: '4.4' }).policy);
    expect(old('x86_64', 'ptrace')).toBe(EPERM);
    const ptraceCap = runner(
      importOci(DOCKER, { arch: 'x86_64', caps: ['CAP_SYS_PTRACE'], kernel: '4.4' }).policy,
    );
    expect(ptraceCap('x86_64', 'ptrace')).toBe(ALLOW);
    const noChroot = runner(importOci(DOCKER, { arch: 'x86_64', caps: [], kernel: '6.1' }).policy);
    expect(noChroot('x86_64', 'chroot')).toBe(EPERM);
    expect(noChroot('x86_64', 'read')).toBe(ALLOW);
  });

  it('kills other architectures', () => {
    const program = compile(x86.policy);
    expect(emulate(program, { arch: archTarget('aarch64').auditArch, nr: 63 }).action >>> 0).toBe(
      action.killProcess,
    );
  });

  it('agrees with the reference on every syscall number of every ABI (x86_64)', () => {
    compileAndCheck(
      x86.policy,
      allNumbers(x86.policy).flatMap((p) => BOUNDARY_ARGS.map((v) => ({ ...p, args: [v, v, v, v, v, v] }))),
    );
  });

  it('imports and compiles for aarch64', () => {
    const arm = importOci(DOCKER, { arch: 'aarch64', caps: DOCKER_CAPS, kernel: '6.1' });
    expect(arm.policy.arches[0]).toBe('aarch64');
    const run64 = runner(arm.policy);
    expect(run64('aarch64', 'read')).toBe(ALLOW);
    expect(run64('aarch64', 'mount')).toBe(EPERM);
    expect(run64('aarch64', 'clone', [CLONE_NEWNS])).toBe(EPERM);
    expect(run64('aarch64', 'clone', [SIGCHLD])).toBe(ALLOW);
    expect(run64('aarch64', 'personality', [8n])).toBe(ALLOW);
    compileAndCheck(
      arm.policy,
      allNumbers(arm.policy).flatMap((p) => BOUNDARY_ARGS.map((v) => ({ ...p, args: [v, v, v, v, v, v] }))),
    );
  });
});

describe('OCI: export', () => {
  it('round-trips our rules through OCI JSON', () => {
    const policy: Policy = {
      arches: ['x86_64', 'i386'],
      defaultAction: action.errno(13),
      rules: [
        { syscall: 'read', action: ALLOW },
        { syscall: 'write', action: ALLOW },
        {
          syscall: 'kill',
          action: action.trace(4),
          args: [
            { index: 1, op: '>=', value: 9n },
            { index: 0, op: '!=', value: 1n },
          ],
        },
        {
          syscall: 'clone',
          action: ALLOW,
          args: [{ index: 0, op: 'masked==', mask: 0x7e020000n, value: 0n }],
        },
        { syscall: 'ptrace', action: action.killProcess },
        { syscall: 'openat', action: action.log, args: [{ index: 2, op: '<', value: 0x80000000n }] },
      ],
    };
    const oci = exportOci(policy);
    expect(oci.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86']);
    expect((oci.syscalls as { names: string[] }[])[0]?.names).toEqual(['read', 'write']);
    const back = importOci(JSON.stringify(oci), { arch: 'x86_64' }).policy;
    expect(back.arches).toEqual(policy.arches);
    const a = compile(policy);
    const b = compile(back);
    for (const p of allNumbers(policy)) {
      for (const v of BOUNDARY_ARGS) {
        const t = archTarget(p.arch);
        const data = { arch: t.auditArch, nr: p.nr | 0, args: [v, v, v, 0n, 0n, 0n] };
        expect(emulate(b, data).action).toBe(emulate(a, data).action);
        expect(evaluatePolicy(back, data)).toBe(evaluatePolicy(policy, data));
      }
    }
  });

  it('round-trips the Docker profile', () => {
    const first = importOci(DOCKER, { arch: 'x86_64', caps: DOCKER_CAPS, kernel: '6.1' }).policy;
    const again = importOci(JSON.stringify(exportOci(first)), { arch: 'x86_64' }).policy;
    expect(again.rules.length).toBe(first.rules.length);
    for (const p of allNumbers(first)) {
      const t = archTarget(p.arch);
      const data = { arch: t.auditArch, nr: p.nr | 0, args: [0x20000n, 0n, 0n, 0n, 0n, 0n] };
      expect(evaluatePolicy(again, data)).toBe(evaluatePolicy(first, data));
    }
  });

  it('refuses what OCI cannot express', () => {
    expect(() =>
      exportOci({
        arches: ['x86_64'],
        defaultAction: ALLOW,
        rules: [
          {
            syscall: 'kill',
            action: EPERM,
            args: [
              { index: 0, op: '>', value: 1n },
              { index: 0, op: '<', value: 9n },
            ],
          },
        ],
      }),
    ).toThrow(/OR-ed/);
    expect(() =>
      exportOci({ arches: ['x86_64'], defaultAction: ALLOW, rules: [{ syscall: -1, action: EPERM }] }),
    ).toThrow(/number/);
  });

  it('reports bad profiles with the path', () => {
    expect(() =>
      importOci(
        '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_NOPE"}]}',
        {},
        'p.json',
      ),
    ).toThrow(/p\.json: syscalls\[0\]\.action: unknown action "SCMP_ACT_NOPE"/);
    expect(() =>
      importOci(
        '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}',
        {},
        'p.json',
      ),
    ).toThrow(/p\.json: syscalls\[0\]\.args\[0\]\.index/);
  });

  it('reads 64-bit values exactly', () => {
    const text =
      '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["kill"],"action":"SCMP_ACT_ERRNO","args":[{"index":1,"value":18446744073709551615,"op":"SCMP_CMP_EQ"}]}]}';
    const p = importOci(text, { arch: 'x86_64' }).policy;
    expect(p.rules[0]?.args?.[0]?.value).toBe((1n << 64n) - 1n);
  });
});
