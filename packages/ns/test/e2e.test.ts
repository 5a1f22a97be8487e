/**
 * The real kernel: sandboxes built from bwrap-style options, run through @sb/ptrace's
 * launcher, as root and as uid 65534 (setpriv). Each case would fail without the
 * namespace it checks (the controls say so where it is not obvious).
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RUN = fileURLToPath(new URL('./fixtures/run.mjs', import.meta.url));
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
const ROOTFS = ['--ro-bind', '/usr', '/usr', '--symlink', 'usr/bin', '/bin', '--symlink', 'usr/lib', '/lib'];
if (existsSync('/lib64')) ROOTFS.push('--symlink', 'usr/lib64', '/lib64');
const BASE = ['--unshare-all', ...ROOTFS, '--proc', '/proc', '--dev', '/dev'];

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'sb-ns-'));
  chmodSync(work, 0o755);
  // A setuid-root copy of id(1), for the no_new_privs/nosuid case.
  copyFileSync('/usr/bin/id', join(work, 'id'));
  chmodSync(join(work, 'id'), 0o4755);
  writeFileSync(join(work, 'data'), 'from the host\n');
  chmodSync(join(work, 'data'), 0o644);
  mkdirSync(join(work, 'rw'), { mode: 0o777 });
  chmodSync(join(work, 'rw'), 0o1777);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const mountinfo = () =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ').slice(4, 6).join(' '))
    .sort()
    .join('\n');

for (const [who, prefix] of [
  ['root', [] as string[]],
  ['uid 65534', NOBODY],
] as const) {
  const sb = (args: string[], env: Record<string, string> = {}) => {
    const [cmd, ...rest] = [...prefix, process.execPath, RUN, ...args];
    return spawnSync(cmd!, rest, {
      encoding: 'utf8',
      timeout: 30_000,
      cwd: '/',
      env: { ...process.env, HOME: '/', ...env },
    });
  };
  const sh = (opts: string[], script: string) => sb([...opts, '--', 'sh', '-c', script]);

  describe(`namespaces end to end, as ${who}`, () => {
    // One sandbox answers most questions (each run costs a Node start-up); the sections are checked apart.
    const main: Record<string, string> = {};
    let before = '';
    let hostUptime = 0;
    beforeAll(() => {
      before = mountinfo();
      hostUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      const script = [
        'echo "@ls"; ls -A /; test -e /etc/passwd && echo LEAK; test -e /work && echo LEAK',
        'echo "@rw"; touch /usr/sb-ns-x 2>&1; echo ok > /w/rw/out-$(id -u); cat /w/data',
        'echo "@pid"; echo $$; ls /proc | grep -c "^[0-9]"; ps -e -o pid=',
        'echo "@net"; tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "',
        'echo "@ip"; ip -o link 2>/dev/null | cut -d: -f2,3 | tr -d " "',
        'echo "@host"; cat /proc/sys/kernel/hostname',
        'echo "@caps"; grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status | cut -f2',
        'echo "@time"; cut -d" " -f1 /proc/uptime',
        'echo "@nested"; unshare -U true 2>&1 && echo NESTED',
        'echo "@reap"; (sh -c "exit 0" &); (sleep 3131 &); sleep 0.5; ps -e -o stat= | grep -c "^Z"',
      ].join('; ');
      const r = sh(
        [
          ...BASE,
          '--bind',
          work,
          '/w',
          '--hostname',
          'sb-box',
          '--unshare-time',
          '--boottime-offset',
          '86400',
        ],
        script,
      );
      expect(r.stderr).toBe('');
      for (const part of r.stdout.split('@').slice(1)) {
        const nl = part.indexOf('\n');
        main[part.slice(0, nl)] = part.slice(nl + 1);
      }
    });

    it('only the given binds are visible, and nothing stays mounted on the host', () => {
      expect(main.ls).toBe(`bin\ndev\nlib\n${existsSync('/lib64') ? 'lib64\n' : ''}proc\nusr\nw\n`);
      expect(mountinfo()).toBe(before);
    });

    it('a ro-bind is read-only (EROFS); a bind is writable and shows on the host', () => {
      expect(main.rw).toBe("touch: cannot touch '/usr/sb-ns-x': Read-only file system\nfrom the host\n");
      expect(readFileSync(join(work, 'rw', `out-${who === 'root' ? 0 : 65534}`), 'utf8')).toBe('ok\n');
    });

    it("the program is pid 1's child and ps sees only the sandbox; with --as-pid-1 it is pid 1", () => {
      const [pid, count, ...ps] = main.pid!.trim().split('\n');
      expect(pid).toBe('2');
      expect(Number(count)).toBeLessThanOrEqual(5);
      expect(ps.map((l) => l.trim())).toEqual(['1', '2', expect.stringMatching(/^\d$/)]);
      expect(sh([...BASE, '--as-pid-1'], 'echo $$').stdout).toBe('1\n');
    });

    it('a new network namespace has only lo, and it is up (control: --share-net has more)', () => {
      expect(main.net).toBe('lo\n');
      if (main.ip !== '') expect(main.ip).toMatch(/^lo:<LOOPBACK,UP,LOWER_UP>[^\n]*\n$/);
      const host = sh([...BASE, '--share-net'], 'tail -n +3 /proc/net/dev | wc -l');
      expect(Number(host.stdout.trim())).toBeGreaterThan(1);
    });

    it('read-only without mount_setattr (MS_REMOUNT keeping locked flags), and --remount-ro /', () => {
      const r = sb(
        [
          ...BASE,
          '--bind',
          work,
          '/w',
          '--remount-ro',
          '/',
          '--',
          'sh',
          '-c',
          'touch /usr/x /x /w/rw/y-$(id -u) 2>&1; true',
        ],
        { SB_NS_NO_MOUNT_SETATTR: '1' },
      );
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(
        "touch: cannot touch '/usr/x': Read-only file system\ntouch: cannot touch '/x': Read-only file system\n",
      );
    });

    it('the host name is set in the new UTS namespace', () => {
      expect(main.host).toBe('sb-box\n');
    });

    it('capabilities are all gone (bounding, effective, ambient); --cap-add keeps one', () => {
      expect(main.caps).toBe('0000000000000000\n'.repeat(5));
      const kept = sh(
        [...BASE, '--uid', '0', '--cap-add', 'NET_ADMIN'],
        'grep -E "^Cap(Eff|Bnd)" /proc/self/status',
      );
      expect(kept.stdout).toMatch(/CapEff:\s+0000000000001000\nCapBnd:\s+0000000000001000/);
    });

    it('a time namespace shifts CLOCK_BOOTTIME (/proc/uptime)', () => {
      expect(Number(main.time)).toBeGreaterThan(hostUptime + 86400 - 1);
      expect(Number(main.time)).toBeLessThan(hostUptime + 86400 + 120);
    });

    it('a nested user namespace is refused with --disable-userns (allowed without: the control)', () => {
      expect(main.nested).toBe('NESTED\n');
      const no = sh([...BASE, '--disable-userns'], 'unshare -U true && echo NESTED');
      expect(no.stdout).toBe('');
      expect(no.stderr).toMatch(/unshare failed: No space left on device/);
    });

    it('pid 1 reaps orphans; the sandbox ends when the program ends', () => {
      expect(main.reap).toBe('0\n');
      expect(spawnSync('pgrep', ['-f', '^sleep 3131$'], { encoding: 'utf8' }).stdout).toBe('');
    });

    it('a missing --bind source is a clear error before anything runs; --bind-try skips it', () => {
      const bad = sh([...BASE, '--bind', '/nonexistent-sb', '/x'], 'echo RAN');
      expect(bad.status).toBe(125);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toContain(
        '--bind /nonexistent-sb /x: cannot use the source /nonexistent-sb: it does not exist (ENOENT)',
      );
      const ok = sb([
        ...BASE,
        '--bind-try',
        '/nonexistent-sb',
        '/x',
        '--perms',
        '0700',
        '--dir',
        '/home/u',
        '--file-text',
        'hello\n',
        '/etc/motd',
        '--clearenv',
        '--setenv',
        'PATH',
        '/usr/bin',
        '--setenv',
        'X',
        'y',
        '--chdir',
        '/home/u',
        '--',
        'sh',
        '-c',
        'test -e /x || echo skipped; stat -c %a /home/u; cat /etc/motd; pwd; env | sort | grep -v "^PWD="',
      ]);
      expect(ok.stdout).toBe('skipped\n700\nhello\n/home/u\nPATH=/usr/bin\nX=y\n');
    });
  });
}

describe('refused user namespaces, as uid 65534', () => {
  it('inside bwrap --disable-userns the error names the reason, before anything runs', () => {
    const r = spawnSync(
      NOBODY[0]!,
      [
        ...NOBODY.slice(1),
        'bwrap',
        ...['--unshare-user', '--disable-userns', '--unshare-pid', '--ro-bind', '/', '/', '--proc', '/proc'],
        ...['--dev', '/dev', '--', process.execPath, RUN, '--unshare-net', '--', 'sh', '-c', 'echo RAN'],
      ],
      { encoding: 'utf8', cwd: '/', timeout: 30_000 },
    );
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^ns-error: cannot create a user namespace: .*ENOSPC/);
    expect(r.status).toBe(125);
  });
});

describe('no_new_privs and nosuid, as uid 65534', () => {
  it('a setuid-root binary does not raise privileges inside (control: it does outside)', () => {
    const outside = spawnSync(NOBODY[0]!, [...NOBODY.slice(1), join(work, 'id'), '-u'], { encoding: 'utf8' });
    expect(outside.stdout).toBe('0\n');
    const [cmd, ...rest] = [
      ...NOBODY,
      process.execPath,
      RUN,
      ...BASE,
      '--ro-bind',
      work,
      '/suid',
      '--',
      '/suid/id',
      '-u',
    ];
    const inside = spawnSync(cmd!, rest, { encoding: 'utf8', cwd: '/' });
    expect(inside.stderr).toBe('');
    expect(inside.stdout).toBe('65534\n');
  });
});
