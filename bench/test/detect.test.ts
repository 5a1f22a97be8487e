import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTENDERS, native } from '../src/contenders/index.js';
import { bwrap, proot, srt, strace, sydbox } from '../src/contenders/peers.js';
import { SB_CONTENDERS } from '../src/contenders/sb.js';
import type { DetectEnv } from '../src/contenders/types.js';
import { contenderReport } from '../src/runner.js';

const tmp = mkdtempSync(join(tmpdir(), 'sb-bench-detect-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function env(over: Partial<DetectEnv> = {}): DetectEnv {
  const probeDir = join(tmp, 'probe');
  mkdirSync(probeDir, { recursive: true });
  return {
    path: join(tmp, 'empty-bin'),
    env: { PATH: '/usr/bin:/bin' },
    repoRoot: tmp,
    benchRoot: tmp,
    probeDir,
    ...over,
  };
}

function fakeExe(dir: string, name: string, script: string): string {
  mkdirSync(dir, { recursive: true });
  const p = join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${script}\n`);
  chmodSync(p, 0o755);
  return p;
}

describe('peer detection', () => {
  it.each([
    [bwrap, 'bwrap', 'bubblewrap'],
    [proot, 'proot', 'proot'],
    [strace, 'strace', 'strace'],
  ] as const)('%s is missing, with why, when not on PATH', async (c, exe, pkg) => {
    const a = await c.detect(env());
    expect(a.status).toBe('missing');
    if (a.status !== 'available') {
      expect(a.reason).toContain(`\`${exe}\` not found on PATH`);
      expect(a.reason).toContain(`Debian package ${pkg}`);
      expect(a.reason).toContain('install-peers.sh');
    }
  });

  it('srt is missing without its npm package, and names pnpm install', async () => {
    const a = await srt.detect(env());
    expect(a).toMatchObject({ status: 'missing' });
    if (a.status !== 'available') expect(a.reason).toContain('pnpm install');
  });

  it('srt is missing when installed but bwrap, socat or rg are not', async () => {
    const bin = join(tmp, 'srt-only');
    fakeExe(bin, 'srt', 'exit 0');
    const a = await srt.detect(env({ path: bin }));
    expect(a.status).toBe('missing');
    if (a.status !== 'available')
      expect(a.reason).toMatch(/needs `bwrap` \(Debian bubblewrap\), `socat` .*`rg` \(Debian ripgrep\)/);
  });

  it('an installed peer that cannot run /bin/true is unusable, with its stderr', async () => {
    const bin = join(tmp, 'broken-bin');
    fakeExe(bin, 'bwrap', 'echo "bwrap: No permissions to create new namespace" >&2; exit 1');
    const a = await bwrap.detect(env({ path: bin }));
    expect(a.status).toBe('unusable');
    if (a.status !== 'available') expect(a.reason).toContain('No permissions to create new namespace');
  });

  it('a working peer is available, with its version', async () => {
    const bin = join(tmp, 'good-bin');
    fakeExe(
      bin,
      'strace',
      'if [ "$1" = -V ]; then echo "strace -- version 9.9"; exit 0; fi; shift 4; exec "$@"',
    );
    const a = await strace.detect(env({ path: bin }));
    expect(a).toEqual({ status: 'available', binary: join(bin, 'strace'), version: 'strace -- version 9.9' });
  });

  it('sydbox-1 is missing unless SB_BENCH_SYDBOX names an executable', async () => {
    const unset = await sydbox.detect(env());
    expect(unset.status).toBe('missing');
    if (unset.status !== 'available') expect(unset.reason).toContain('SB_BENCH_SYDBOX is not set');
    const bad = await sydbox.detect(env({ env: { SB_BENCH_SYDBOX: join(tmp, 'nope') } }));
    expect(bad.status).toBe('missing');
    if (bad.status !== 'available') expect(bad.reason).toContain('not an executable');
  });

  it('the report of a missing peer keeps the reason', async () => {
    const a = await proot.detect(env());
    expect(contenderReport(proot, a)).toMatchObject({
      id: 'proot',
      status: 'missing',
      reason: expect.stringContaining('proot'),
    });
  });
});

describe('sb contenders', () => {
  it('are not available when apps/sb does not exist', async () => {
    const a = await SB_CONTENDERS[0]!.detect(env({ repoRoot: join(tmp, 'no-repo') }));
    expect(a).toMatchObject({
      status: 'not-available',
      reason: expect.stringContaining('sb run has not landed'),
    });
  });

  it('are not available while `sb run --help` fails', async () => {
    const repo = join(tmp, 'repo-without-run');
    fakeExe(join(repo, 'apps', 'sb', 'bin'), 'sb.js', '');
    writeFileSync(
      join(repo, 'apps', 'sb', 'bin', 'sb.js'),
      "if (process.argv[2] === 'run') { console.error(\"error: unknown command 'run'\"); process.exit(1); }\n",
    );
    mkdirSync(join(repo, 'apps', 'sb', 'dist'), { recursive: true });
    writeFileSync(join(repo, 'apps', 'sb', 'dist', 'main.js'), '');
    for (const c of SB_CONTENDERS) {
      const a = await c.detect(env({ repoRoot: repo }));
      expect(a.status).toBe('not-available');
      if (a.status !== 'available') expect(a.reason).toMatch(/sb run has not landed .*unknown command 'run'/);
    }
  });

  it('are asked per backend: one the CLI rejects is not available, with the CLI message', async () => {
    const repo = join(tmp, 'repo-ptrace-only');
    mkdirSync(join(repo, 'apps', 'sb', 'bin'), { recursive: true });
    mkdirSync(join(repo, 'apps', 'sb', 'dist'), { recursive: true });
    writeFileSync(join(repo, 'apps', 'sb', 'dist', 'main.js'), '');
    writeFileSync(
      join(repo, 'apps', 'sb', 'bin', 'sb.js'),
      `const a = process.argv.slice(2);
if (a[1] === '--help') process.exit(0);
if (a[2] !== 'ptrace') { console.error("error: argument '" + a[2] + "' is invalid. Allowed choices are auto, ptrace."); process.exit(1); }
process.exit(0);
`,
    );
    const got = Object.fromEntries(
      await Promise.all(
        SB_CONTENDERS.map(async (c) => [c.id, (await c.detect(env({ repoRoot: repo }))).status]),
      ),
    );
    expect(got).toEqual({
      'sb-ptrace': 'available',
      'sb-unotify': 'not-available',
      'sb-landlock': 'not-available',
      'sb-ptrace+landlock': 'not-available',
      'sb-unotify+landlock': 'not-available',
      'sb-namespaces': 'not-available',
    });
  });

  it('wrap the workload as `sb run --backend B` with a policy that allows writes below the workload dir', () => {
    const inv = SB_CONTENDERS[0]!.wrap(
      ['/bin/true', 'x'],
      { workdir: '/w', scratch: '/s' },
      '/r/apps/sb/bin/sb.js',
    );
    expect(inv.argv.slice(1)).toEqual([
      '/r/apps/sb/bin/sb.js',
      'run',
      '--backend',
      'ptrace',
      '-p',
      'default',
      '-m',
      'allowlist/write+/w/***',
      '--',
      '/bin/true',
      'x',
    ]);
  });
});

describe('the contender list', () => {
  it('starts with native, has unique ids, and every peer the issue names', () => {
    expect(CONTENDERS[0]).toBe(native);
    const ids = CONTENDERS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'sb-ptrace',
        'sb-unotify',
        'sb-landlock',
        'sb-namespaces',
        'bwrap',
        'proot',
        'strace',
        'firejail',
        'srt',
        'sydbox-1',
      ]),
    );
  });

  it('passes the command through unchanged after the peer options', () => {
    const cmd = ['/usr/bin/find', '/t', '-type', 'f', '-exec', 'cat', '--', '{}', '+'];
    for (const c of CONTENDERS) {
      const inv = c.wrap(cmd, { workdir: '/w', scratch: '/s' }, '/bin/x');
      expect(inv.argv.slice(-cmd.length)).toEqual(cmd);
    }
  });
});
