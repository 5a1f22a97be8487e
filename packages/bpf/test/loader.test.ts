import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { action } from '../src/compiler/actions.js';
import { archTarget } from '../src/compiler/arches.js';
import { compile } from '../src/compiler/compile.js';
import { encode, type Insn } from '../src/insn.js';
import { loadFilter } from '../src/loader/load.js';
import { filterFlagsAccepted, probeSeccomp } from '../src/probes/probe.js';

const CHILD = fileURLToPath(new URL('./kernel-fixtures/load-child.ts', import.meta.url));
const GETPPID = archTarget('x86_64').byName.get('getppid') as number;
const isRoot = process.getuid?.() === 0;

function child(opts: Record<string, unknown>, asNobody = false, pre?: Insn[]) {
  const program = compile({
    arches: ['x86_64'],
    defaultAction: action.allow,
    rules: [{ syscall: 'getppid', action: action.errno(77) }],
  });
  const hex = (p: Insn[]): string => Buffer.from(encode(p)).toString('hex');
  const spec = JSON.stringify({
    program: hex(program),
    opts,
    nr: GETPPID,
    ...(pre ? { pre: hex(pre) } : {}),
  });
  const cmd = [process.execPath, '--import', 'tsx', CHILD, spec];
  // The package directory, so that `--import tsx` resolves whatever directory runs the tests.
  const cwd = fileURLToPath(new URL('..', import.meta.url));
  const r = asNobody
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...cmd], {
        encoding: 'utf8',
        cwd,
      })
    : spawnSync(cmd[0] as string, cmd.slice(1), { encoding: 'utf8', cwd });
  if (r.status !== 0) throw new Error(`child failed (${r.status} ${r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    load?: { via: string };
    loadError?: string;
    main: { ret: number; errno: number };
    worker: { ret: number; errno: number };
  };
}

describe('probes (nothing is installed)', () => {
  it('finds filter mode, seccomp(2), every action and flag on this kernel', () => {
    const f = probeSeccomp();
    expect(f.currentMode).toBe(0);
    expect(f.filterMode).toBe(true);
    expect(f.seccompSyscall).toBe(true);
    // The CI kernel is 6.x: every action (KILL_PROCESS 4.14, LOG 4.14, USER_NOTIF 5.0) and
    // flag (TSYNC_ESRCH 5.7, WAIT_KILLABLE_RECV 5.19) exists there.
    expect(Object.values(f.actions).every((v) => v === true)).toBe(true);
    expect(f.flags).toEqual({
      TSYNC: true,
      LOG: true,
      SPEC_ALLOW: true,
      NEW_LISTENER: true,
      TSYNC_ESRCH: true,
      WAIT_KILLABLE_RECV: true,
    });
    expect(f.notifSizes?.data).toBe(64);
    expect(f.notifSizes?.notif).toBeGreaterThanOrEqual(80);
    // The method tells unknown and conflicting flags apart from known ones.
    expect(filterFlagsAccepted(1 << 20)).toBe(false);
    expect(filterFlagsAccepted(32)).toBe(false); // WAIT_KILLABLE_RECV needs NEW_LISTENER
    expect(filterFlagsAccepted(1 | 8)).toBe(false); // TSYNC + NEW_LISTENER needs TSYNC_ESRCH
    expect(filterFlagsAccepted(1 | 8 | 16)).toBe(true);
    // Still unfiltered afterwards.
    expect(probeSeccomp().currentMode).toBe(0);
  });
});

describe('loader (filters are loaded only in child processes)', () => {
  it('refuses a thread-only filter in a Node process unless asked for explicitly', () => {
    expect(() => loadFilter(compile({ arches: ['x86_64'], defaultAction: action.allow, rules: [] }))).toThrow(
      /covers only the calling thread/,
    );
  });

  it('TSYNC filters every thread, including threads that existed before', () => {
    const r = child({ flags: ['TSYNC'] });
    expect(r.loadError).toBeUndefined();
    expect(r.load?.via).toBe('seccomp');
    expect(r.main).toEqual({ ret: -1, errno: 77 });
    expect(r.worker).toEqual({ ret: -1, errno: 77 });
  });

  it('a thread-only filter leaves other threads unfiltered (why TSYNC is the default)', () => {
    const r = child({ threadOnly: true });
    expect(r.load?.via).toBe('seccomp');
    expect(r.main).toEqual({ ret: -1, errno: 77 });
    // The worker thread existed before the load: it is not filtered.
    expect(r.worker.ret).toBeGreaterThan(0);
  });

  it.skipIf(!isRoot)('works unprivileged (no_new_privs) as uid 65534', () => {
    const r = child({ flags: ['TSYNC'] }, true);
    expect(r.loadError).toBeUndefined();
    expect(r.main).toEqual({ ret: -1, errno: 77 });
  });

  it('NEW_LISTENER returns a notification fd', () => {
    const r = child({ flags: ['TSYNC', 'TSYNC_ESRCH', 'NEW_LISTENER'] });
    expect(r.loadError).toBeUndefined();
    expect((r.load as { listenerFd?: number }).listenerFd).toBeGreaterThan(2);
  });

  describe('where seccomp(2) is missing (a first filter makes it ENOSYS)', () => {
    const noSeccomp = compile({
      arches: ['x86_64'],
      defaultAction: action.allow,
      rules: [{ syscall: 'seccomp', action: action.errno(38) }],
    });
    it('falls back to prctl(PR_SET_SECCOMP) when no flag is needed', () => {
      const r = child({ threadOnly: true }, false, noSeccomp);
      expect(r.loadError).toBeUndefined();
      expect(r.load?.via).toBe('prctl');
      expect(r.main).toEqual({ ret: -1, errno: 77 });
    });
    it('fails rather than drop flags (TSYNC) that prctl cannot apply', () => {
      const r = child({ flags: ['TSYNC'] }, false, noSeccomp);
      expect(r.loadError).toMatch(
        /seccomp\(2\) is not available \(ENOSYS\) and prctl cannot apply flags TSYNC/,
      );
      expect(r.main.ret).toBeGreaterThan(0); // nothing was installed
    });
  });
});
