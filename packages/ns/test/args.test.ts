import { describe, expect, it } from 'vitest';
import { ArgsError, applyEnv, parseBwrapArgs, UNSUPPORTED } from '../src/index.js';

const noFd = (fd: number): Uint8Array => {
  throw Object.assign(new Error(`fd ${fd} is not open`), { code: 'EBADF' });
};

describe('parseBwrapArgs', () => {
  it('keeps the order of root operations across options, and finds the program', () => {
    const p = parseBwrapArgs([
      '--ro-bind',
      '/usr',
      '/usr',
      '--tmpfs',
      '/tmp',
      '--symlink',
      'usr/bin',
      '/bin',
      '--bind-try',
      '/a',
      '/b',
      '--',
      'sh',
      '-c',
      'x',
    ]);
    expect(p.namespaces?.root).toEqual([
      { op: 'ro-bind', source: '/usr', dest: '/usr' },
      { op: 'tmpfs', dest: '/tmp' },
      { op: 'symlink', target: 'usr/bin', dest: '/bin' },
      { op: 'bind', source: '/a', dest: '/b', try: true },
    ]);
    expect(p.command).toEqual(['sh', '-c', 'x']);
  });

  it('the program starts at the first non-option even without --', () => {
    expect(parseBwrapArgs(['--unshare-net', 'ls', '--bind', 'x']).command).toEqual(['ls', '--bind', 'x']);
    expect(parseBwrapArgs(['ls', '-l']).namespaces).toBeNull();
  });

  it('--unshare-all is bwrap set; --share-net removes net; later options win', () => {
    expect(parseBwrapArgs(['--unshare-all', '--share-net', 'true']).namespaces?.unshare).toEqual({
      user: 'try',
      ipc: true,
      pid: true,
      uts: true,
      cgroup: 'try',
    });
    expect(parseBwrapArgs(['--share-net', '--unshare-all', 'true']).namespaces?.unshare?.net).toBe(true);
  });

  it('--perms and --size apply to the next option only', () => {
    const p = parseBwrapArgs([
      '--size',
      '1024',
      '--perms',
      '1777',
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      '/t2',
      '--perms',
      '0700',
      '--dir',
      '/d',
      'true',
    ]);
    expect(p.namespaces?.root).toEqual([
      { op: 'tmpfs', dest: '/tmp', mode: 0o1777, size: 1024 },
      { op: 'tmpfs', dest: '/t2' },
      { op: 'dir', dest: '/d', mode: 0o700 },
    ]);
  });

  it('--file and --ro-bind-data read the whole fd; --args splices NUL-separated arguments', () => {
    const fds: Record<number, string> = { 5: 'content', 7: '--unshare-net\0--hostname\0h\0' };
    const read = (fd: number) => new TextEncoder().encode(fds[fd] ?? '');
    const p = parseBwrapArgs(
      ['--args', '7', '--unshare-uts', '--file', '5', '/etc/f', '--ro-bind-data', '5', '/etc/g', 'true'],
      read,
    );
    expect(p.namespaces?.unshare).toEqual({ net: true, uts: true });
    expect(p.namespaces?.hostname).toBe('h');
    const [f, g] = p.namespaces?.root ?? [];
    expect(f).toMatchObject({ op: 'file', dest: '/etc/f' });
    expect(g).toMatchObject({ op: 'file', dest: '/etc/g', readOnly: true });
    expect(new TextDecoder().decode((f as { content: Uint8Array }).content)).toBe('content');
  });

  it('environment, session, status fds and capabilities', () => {
    const p = parseBwrapArgs([
      '--setenv',
      'A',
      '1',
      '--clearenv',
      '--setenv',
      'B',
      '2',
      '--unsetenv',
      'C',
      '--chdir',
      '/w',
      '--no-new-session',
      '--json-status-fd',
      '3',
      '--info-fd',
      '4',
      '--cap-add',
      'ALL',
      '--cap-drop',
      'sys_admin',
      'true',
    ]);
    expect(applyEnv({ A: '0', C: '3', D: '4' }, p.env)).toEqual({ B: '2' });
    expect(applyEnv({ C: '3', D: '4' }, [{ unset: 'C' }, { set: 'E', value: '5' }])).toEqual({
      D: '4',
      E: '5',
    });
    expect(p).toMatchObject({ chdir: '/w', newSession: false, jsonStatusFd: 3, infoFd: 4 });
    expect(p.namespaces?.keepCapabilities).toHaveLength(40);
    expect(p.namespaces?.keepCapabilities).not.toContain('CAP_SYS_ADMIN');
  });

  const errors: [string[], RegExp][] = [
    [['--bind', '/a'], /--bind needs 2 arguments \(SRC DEST\)/],
    [['--bind', '/usr', 'usr', 'true'], /--bind \/usr usr: the destination 'usr' must be an absolute path/],
    [['--uid', 'root', 'true'], /--uid: expected a numeric id, got 'root'/],
    [['--cap-add', 'CAP_FLY', 'true'], /--cap-add: unknown capability 'CAP_FLY'/],
    [['--perms', '888', '--dir', '/d'], /--perms: expected an octal mode/],
    [['--perms', '0755', '--bind', '/a', '/b'], /--perms must come right before/],
    [['--size', '10', 'true'], /--size is not followed by --tmpfs/],
    [['--file', '9', '/f', 'true'], /--file 9: cannot read the file descriptor \(EBADF\)/],
    [
      ['--userns', '3', 'true'],
      /--userns \(bubblewrap\) is not supported: joining an existing user namespace/,
    ],
    [['--frobnicate', 'true'], /unknown option --frobnicate/],
  ];
  it.each(errors)('%j -> %s', (argv, re) => {
    expect(() => parseBwrapArgs(argv, noFd)).toThrow(ArgsError);
    expect(() => parseBwrapArgs(argv, noFd)).toThrow(re);
  });

  it('every unsupported bwrap option has a reason', () => {
    for (const [opt, why] of Object.entries(UNSUPPORTED)) {
      expect(opt).toMatch(/^--[a-z0-9-]+$/);
      expect(why.length).toBeGreaterThan(10);
    }
  });
});
