/** `sb run` with bubblewrap-named namespace options, as root and as uid 65534. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const ROOTFS = ['--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib'];
if (existsSync('/lib64')) ROOTFS.push('--symlink', 'usr/lib64', '/lib64');

function sb(args: string[], prefix: string[] = [], extra: { input?: string } = {}) {
  const [cmd, ...rest] = [...prefix, process.execPath, SB, ...args];
  return spawnSync(cmd!, rest, {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: '/',
    env: { ...process.env, NO_COLOR: '1', HOME: '/' },
    ...extra,
  });
}

describe('sb run with namespaces', () => {
  for (const [who, prefix] of [
    ['root', []],
    ['uid 65534', NOBODY],
  ] as const) {
    it(`a private root, pid and net namespaces and a host name, as ${who}; policy options mix in`, () => {
      const r = sb(
        [
          'run',
          '--unshare-all',
          ...ROOTFS,
          '-p',
          'readonly',
          '--proc',
          '/proc',
          '--hostname',
          'sb-box',
          '--',
          'sh',
          '-c',
          'ls -A /; echo $$; cat /proc/sys/kernel/hostname; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; echo x > /x',
        ],
        [...prefix],
      );
      const lib64 = existsSync('/lib64') ? 'lib64\n' : '';
      expect(r.stdout).toBe(`bin\nlib\n${lib64}proc\nusr\n2\nsb-box\nlo\n`);
      // -p readonly still applies inside: the write is denied by the policy and reported.
      expect(r.stderr).toMatch(/sb: deny write \/x /m);
      expect(r.status).toBe(2);
    });
  }

  it('bad options are one clear line and exit 2, before anything runs', () => {
    const cases: [string[], RegExp][] = [
      [
        ['--bind', '/nonexistent-sb', '/x'],
        /^sb: run: --bind \/nonexistent-sb \/x: cannot use the source \/nonexistent-sb: it does not exist \(ENOENT\)\n$/,
      ],
      [
        ['--bind', '/usr', 'usr'],
        /^sb: run: --bind \/usr usr: the destination 'usr' must be an absolute path\n$/,
      ],
      [['--cap-add', 'CAP_FLY'], /^sb: run: --cap-add: unknown capability 'CAP_FLY'\n$/],
      [['--hostname', 'x'], /^sb: run: --hostname needs a new UTS namespace \(--unshare-uts\)\n$/],
      [
        ['--seccomp', '3'],
        /^sb: run: --seccomp \(bubblewrap\) is not supported: sb builds its own seccomp filter/,
      ],
      [['--frob'], /^sb: run: unknown option --frob\n$/],
    ];
    for (const [opts, re] of cases) {
      const r = sb(['run', ...opts, '--', 'sh', '-c', 'echo RAN']);
      expect(r.stdout, opts.join(' ')).toBe('');
      expect(r.stderr, opts.join(' ')).toMatch(re);
      expect(r.status, opts.join(' ')).toBe(2);
    }
  });

  it('--json-status-fd reports the pid, the namespaces and the exit code; --setenv and --chdir', () => {
    const r = spawnSync(
      '/bin/sh',
      [
        '-c',
        `"${process.execPath}" "${SB}" run --unshare-net --unshare-pid --clearenv --setenv PATH /usr/bin:/bin --setenv A b --chdir /tmp --json-status-fd 3 -- sh -c 'echo $A; pwd; sleep 1; exit 3' 3>&2 2>/dev/null`,
      ],
      { encoding: 'utf8', cwd: '/' },
    );
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('b\n/tmp\n');
    const [first, second] = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(first['child-pid']).toBeGreaterThan(1);
    expect(first['net-namespace']).toBeGreaterThan(0);
    expect(first['pid-namespace']).toBeGreaterThan(0);
    expect(first['mnt-namespace']).toBeUndefined();
    expect(second).toEqual({ 'exit-code': 3 });
  });

  it("runs the program in a new session by default (--no-new-session keeps the caller's)", () => {
    const own = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[3];
    const sid = (args: string[]) =>
      sb(['run', ...args, '--', 'sh', '-c', "cut -d' ' -f6 /proc/$$/stat"]).stdout.trim();
    expect(sid([])).not.toBe(own);
    expect(sid(['--no-new-session'])).toBe(own);
  });

  it('--help lists the namespace options', () => {
    const r = sb(['run', '--help']);
    for (const o of ['--unshare-all', '--ro-bind SRC DEST', '--json-status-fd FD', '--no-new-session'])
      expect(r.stdout).toContain(o);
  });
});
