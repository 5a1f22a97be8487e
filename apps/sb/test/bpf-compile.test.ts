import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, emulate } from '@sb/bpf';
import { getArch, syscallByName } from '@sb/syscalls';
import { describe, expect, it } from 'vitest';

const SB = new URL('../bin/sb.js', import.meta.url).pathname;
const run = (args: string[], input?: string) => {
  const r = spawnSync(process.execPath, [SB, ...args], {
    input: input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, out: r.stdout.toString(), err: r.stderr.toString() };
};
// The real Moby default profile, in the shared corpus next to the repository.
const DOCKER = fileURLToPath(
  new URL('../../../../shared/corpus/seccomp/docker-default.json', import.meta.url),
);

const RULES = {
  arches: ['x86_64', 'i386'],
  defaultAction: 'ERRNO(EPERM)',
  rules: [
    { syscall: 'read', action: 'ALLOW' },
    { syscall: 'openat', action: 'ERRNO(EACCES)', args: [{ index: 2, op: 'masked==', mask: 3, value: 1 }] },
    { syscall: 'openat', action: 'ALLOW' },
  ],
};

describe('sb bpf compile / import-oci', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-compile-'));
  const rules = join(dir, 'rules.json');
  writeFileSync(rules, JSON.stringify(RULES));
  const x86 = getArch('x86_64');

  it('compiles rules to raw bytes that behave as written', () => {
    const out = join(dir, 'f.bin');
    const r = run(['bpf', 'compile', rules, '-o', out]);
    expect(r.status, r.err).toBe(0);
    const prog = decode(new Uint8Array(readFileSync(out)));
    const act = (nr: number, args: bigint[] = []) =>
      emulate(prog, { arch: x86.auditArch, nr, args }).action >>> 0;
    expect(act(0)).toBe(0x7fff0000); // read
    expect(act(257, [0n, 0n, 1n])).toBe(0x0005000d); // openat O_WRONLY -> EACCES
    expect(act(257, [0n, 0n, 0n])).toBe(0x7fff0000);
    expect(act(1)).toBe(0x00050001);
  });

  it('writes text, hex and C; --arch replaces the arches', () => {
    const text = run(['bpf', 'compile', rules, '--format', 'text']);
    expect(text.out).toMatch(/AUDIT_ARCH_I386/);
    const only = run(['bpf', 'compile', rules, '--arch', 'x86_64', '--format', 'text']);
    expect(only.out).not.toMatch(/AUDIT_ARCH_I386/);
    expect(run(['bpf', 'compile', rules, '--format', 'hex']).out).toMatch(/^[0-9a-f]{16}\n/);
    expect(run(['bpf', 'compile', rules, '--format', 'c']).out).toMatch(/struct sock_filter/);
  });

  it('reports bad rules with the file and path, exit 2', () => {
    const bad = run(
      ['bpf', 'compile', '-'],
      JSON.stringify({ ...RULES, rules: [{ syscall: 'opneat', action: 'ALLOW' }] }),
    );
    expect(bad.status).toBe(2);
    expect(bad.err).toMatch(
      /rules\[0\]\.syscall: "opneat" is not a syscall on x86_64, i386 \(did you mean "openat"/,
    );
    const missing = run(['bpf', 'compile', join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.err).toMatch(/cannot read .*nope\.json: no such file/);
  });

  it('imports the Docker profile with capabilities and a kernel version', () => {
    const out = join(dir, 'docker.bin');
    const r = run([
      'bpf',
      'import-oci',
      DOCKER,
      '--arch',
      'x86_64',
      '--caps',
      'SYS_CHROOT',
      '--kernel',
      '6.1',
      '-o',
      out,
      '--stats',
    ]);
    expect(r.status, r.err).toBe(0);
    expect(r.err).toMatch(/stats: \d+ instructions/);
    const prog = decode(new Uint8Array(readFileSync(out)));
    const act = (name: string, args: bigint[] = []) =>
      emulate(prog, { arch: x86.auditArch, nr: syscallByName('x86_64', name)?.nr ?? -2, args }).action >>> 0;
    expect(act('mount')).toBe(0x00050001);
    expect(act('ptrace')).toBe(0x7fff0000);
    expect(act('chroot')).toBe(0x7fff0000); // CAP_SYS_CHROOT is in Docker's default set
    const bare = join(dir, 'bare.bin');
    expect(
      run([
        'bpf',
        'import-oci',
        DOCKER,
        '--arch',
        'x86_64',
        '--caps',
        'SYS_PTRACE',
        '--kernel',
        '4.4',
        '-o',
        bare,
      ]).status,
    ).toBe(0);
    const p2 = decode(new Uint8Array(readFileSync(bare)));
    const chroot = syscallByName('x86_64', 'chroot')?.nr ?? -2;
    const ptrace = syscallByName('x86_64', 'ptrace')?.nr ?? -2;
    expect(emulate(p2, { arch: x86.auditArch, nr: chroot }).action >>> 0).toBe(0x00050001);
    expect(emulate(p2, { arch: x86.auditArch, nr: ptrace }).action >>> 0).toBe(0x7fff0000);
    const rulesOut = run(['bpf', 'import-oci', DOCKER, '--arch', 'aarch64', '--format', 'rules']);
    expect(JSON.parse(rulesOut.out).arches).toEqual(['aarch64', 'arm']);
    expect(rulesOut.err).toMatch(/need a minimum kernel; pass --kernel/);
    expect(run(['bpf', 'import-oci', DOCKER, '--kernel', 'six']).status).toBe(2);
  });
});
