import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SB = new URL('../bin/sb.js', import.meta.url).pathname;
const run = (args: string[], input?: string | Buffer) => {
  const r = spawnSync(process.execPath, [SB, ...args], {
    input: input ?? '',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: r.status, stdout: r.stdout, out: r.stdout.toString(), err: r.stderr.toString() };
};

const SRC = `# x86_64: allow read, openat without write access; deny the rest
  A = arch
  if (A != AUDIT_ARCH_X86_64) goto kill
  A = sys_number
  if (A >= 0x40000000) goto kill
  if (A == openat) goto flags
  if (A == read) goto allow else goto deny
flags:
  A = args[2] >> 32
  if (A != 0) goto deny
  A = args[2]
  if (A & 3) goto deny
allow: return ALLOW
deny: return ERRNO(EACCES)
kill: return KILL_PROCESS
`;

describe('sb bpf', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-cli-bpf-'));
  const file = join(dir, 'f.bpf');
  writeFileSync(file, SRC);

  it('asm writes raw, hex, C and text; disasm reads them back', () => {
    const raw = run(['bpf', 'asm', file]);
    expect(raw.status).toBe(0);
    expect(raw.stdout.length).toBe(13 * 8);
    const hex = run(['bpf', 'asm', '--format', 'hex', file]);
    expect(hex.out.split('\n')[0]).toBe('2000000004000000');
    expect(run(['bpf', 'asm', '--format', 'c', file]).out).toContain(
      'BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xc000003e, 0, 10),',
    );
    const fromRaw = run(['bpf', 'disasm'], raw.stdout);
    const fromHex = run(['bpf', 'disasm', '--input', 'hex', '-'], hex.out);
    expect(fromRaw.status).toBe(0);
    expect(fromRaw.out).toBe(fromHex.out);
    expect(fromRaw.out).toContain('if (A == openat) goto L6');
    // The disassembly assembles to the same bytes.
    expect(run(['bpf', 'asm', '-'], fromRaw.out).stdout.equals(raw.stdout)).toBe(true);
  });

  it('verify exits 0 for a loadable program and 1 naming the instruction and rule otherwise', () => {
    expect(run(['bpf', 'verify', file])).toMatchObject({ status: 0, out: `${file}: ok (13 instructions)\n` });
    const bad = run(['bpf', 'verify'], 'A = M[2]\nreturn A\n');
    expect(bad.status).toBe(1);
    expect(bad.err).toContain('pc 0 (A = M[2])');
    expect(bad.err).toContain('scratch-uninit');
  });

  it('emulate prints the action and the trace', () => {
    const r = run([
      'bpf',
      'emulate',
      file,
      '--arch',
      'x86_64',
      '--syscall',
      'openat',
      '--arg2',
      '0x1',
      '--trace',
    ]);
    expect(r.status).toBe(0);
    expect(r.out).toContain('    4  if (A == openat) goto L6');
    expect(r.out.trim().split('\n').at(-1)).toBe('ERRNO(13) (0x0005000d) after 10 instructions');
    expect(run(['bpf', 'emulate', file, '--arch', 'x86_64', '--syscall', '0']).out).toBe(
      'ALLOW (0x7fff0000) after 7 instructions\n',
    );
    expect(run(['bpf', 'emulate', file, '--arch', 'i386', '--syscall', 'read']).out).toContain(
      'KILL_PROCESS',
    );
    expect(
      run(['bpf', 'emulate', file, '--arch', 'x86_64', '--syscall', 'openat', '--arg2', '-1']).out,
    ).toContain('ERRNO(13)');
  });

  it('reports bad input clearly', () => {
    expect(run(['bpf', 'asm', join(dir, 'missing')])).toMatchObject({ status: 2 });
    expect(run(['bpf', 'asm', join(dir, 'missing')]).err).toContain('no such file');
    const syntax = run(['bpf', 'asm', '--arch', 'x86_64', '-'], 'A = frob\n');
    expect(syntax.status).toBe(1);
    expect(syntax.err).toContain('<stdin>:1:5: unknown syscall');
    expect(run(['bpf', 'emulate', file, '--syscall', 'nosuch']).status).toBe(2);
    expect(run(['bpf', 'emulate', file, '--syscall', 'read', '--arg0', 'zz']).err).toContain(
      '--arg0 "zz" is not a number',
    );
    expect(run(['bpf', 'disasm', '--arch', 'vax'], 'x').status).toBe(2);
    expect(run(['bpf', 'disasm', '--input', 'raw'], Buffer.alloc(9)).err).toContain('not a multiple of 8');
  });
});
