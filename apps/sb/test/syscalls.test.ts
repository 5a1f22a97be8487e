/** `sb syscalls`, run as the built CLI. */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const SB = new URL('../bin/sb.js', import.meta.url).pathname;
/** Runs `sb syscalls ...` (asynchronously, so the cases below run side by side). */
const sb = (...args: string[]) =>
  new Promise<{ status: number | null; out: string; err: string }>((resolve) => {
    execFile(
      process.execPath,
      [SB, 'syscalls', ...args],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? null : 0;
        resolve({ status: code, out: stdout, err: stderr });
      },
    );
  });

describe.concurrent('sb syscalls', () => {
  it.each([
    ['x86_64', '257'],
    ['aarch64', '56'],
    ['i386', '295'],
    ['x32', '1073742081'],
    ['riscv64', '56'],
    ['arm', '322'],
    ['amd64', '257'],
    ['arm64', '56'],
    ['mips64n32', '6251'],
  ])('openat --arch %s prints %s', async (arch, nr) => {
    expect(await sb('openat', '--arch', arch)).toEqual({ status: 0, out: `${nr}\n`, err: '' });
  });

  it('a number prints the name; several lookups print one answer per line', async () => {
    expect((await sb('257', '--arch', 'x86_64')).out).toBe('openat\n');
    expect((await sb('0x101', '--arch', 'x86_64')).out).toBe('openat\n');
    expect((await sb('read', 'write', '59', '--arch', 'x86_64')).out).toBe('0\n1\nexecve\n');
  });

  it('defaults to the architecture sb runs on', async () => {
    const native = process.arch === 'x64' ? '257' : undefined;
    if (native) expect((await sb('openat')).out).toBe(`${native}\n`);
    expect((await sb('openat')).status).toBe(0);
  });

  it('--json prints all fields', async () => {
    const r = await sb('openat', '--arch', 'x86_64', '--json');
    expect(r.status).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      name: 'openat',
      nr: 257,
      arch: 'x86_64',
      auditArch: 0xc000003e,
      auditArchName: 'AUDIT_ARCH_X86_64',
      implemented: true,
      since: '2.6.16',
      argsKnown: true,
    });
    expect(j.groups).toContain('@file-system');
    expect(j.args.map((a: { kind: string }) => a.kind)).toEqual(['dirfd', 'path', 'open_flags', 'mode']);
    expect(j.args[1]).toEqual({ index: 1, name: 'filename', type: 'const char __user *', kind: 'path' });
  });

  it('-v shows clone in the ABI register order', async () => {
    const r = await sb('-v', 'clone', '--arch', 's390x');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/args\s+0\s+newsp\s+unsigned long\s+ulong/);
    expect(r.out).toMatch(/1\s+clone_flags\s+unsigned long\s+clone_flags/);
  });

  it('--group lists the members present on the architecture', async () => {
    const r = await sb('--group', '@file-system', '--arch', 'aarch64');
    expect(r.status).toBe(0);
    const names = r.out.trim().split('\n');
    expect(names).toContain('openat');
    expect(names).not.toContain('open'); // not on aarch64
    expect(names).toEqual([...names].sort());
    expect((await sb('--group', '@file-system', '--arch', 'x86_64')).out.split('\n')).toContain('open');
    const j = JSON.parse((await sb('--group', 'mount', '--arch', 'x86_64', '--json')).out);
    expect(j.group).toBe('@mount');
    expect(j.syscalls).toContainEqual({ name: 'mount', nr: 165 });
  });

  it('unknown names, numbers, groups and architectures fail with a suggestion and exit 2', async () => {
    expect(await sb('opnat', '--arch', 'x86_64')).toEqual({
      status: 2,
      out: '',
      err: "sb: unknown syscall 'opnat' on x86_64 (did you mean 'openat'?)\n",
    });
    expect((await sb('socketcall', '--arch', 'x86_64')).err).toMatch(
      /unknown syscall 'socketcall' on x86_64 \(it exists on i386/,
    );
    expect(await sb('openat', '--arch', 'x86-46')).toMatchObject({
      status: 2,
      err: "sb: unknown architecture 'x86-46' (did you mean 'x86_64'?)\n",
    });
    expect(await sb('99999', '--arch', 'x86_64')).toMatchObject({
      status: 2,
      err: "sb: unknown syscall '99999' on x86_64\n",
    });
    expect(await sb('--group', '@file-sytem')).toMatchObject({
      status: 2,
      err: "sb: unknown syscall group '@file-sytem' (did you mean '@file-system'?)\n",
    });
    expect((await sb()).status).toBe(2);
  });

  it('errno and signal numbers differ per architecture', async () => {
    expect((await sb('--errno', 'EDEADLK', '--arch', 'x86_64')).out).toBe('35\n');
    expect((await sb('--errno', 'EDEADLK', '--arch', 'mips')).out).toBe('45\n');
    expect((await sb('--signal', 'SIGUSR1', '--arch', 'mips')).out).toBe('16\n');
    expect((await sb('--signal', '10', '--arch', 'x86_64')).out).toBe('SIGUSR1\n');
    expect((await sb('--errno', 'ENOPE')).status).toBe(2);
  });

  it('works for an unprivileged user', async () => {
    // The tables are plain data files: nothing needs privileges (checked as nobody when run as root).
    if (process.getuid?.() !== 0) return;
    const r = await new Promise<{ status: number | null; out: string }>((resolve) => {
      execFile(
        'setpriv',
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          SB,
          'syscalls',
          'openat',
          '--arch',
          'arm',
        ],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
        (error, stdout) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, out: stdout }),
      );
    });
    expect(r).toEqual({ status: 0, out: '322\n' });
  });

  it('--list-arches names every ABI with its AUDIT_ARCH value', async () => {
    const r = await sb('--list-arches');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^x86_64\s+AUDIT_ARCH_X86_64\s+0xc000003e\s+64\s+little\s+amd64/m);
    expect(r.out).toMatch(/^x32\s+AUDIT_ARCH_X86_64\s+0xc000003e\s+32/m);
    expect(JSON.parse((await sb('--list-arches', '--json')).out).length).toBeGreaterThanOrEqual(30);
    expect((await sb('--list-groups')).out).toMatch(/^@network-io\s+/m);
  });
});
