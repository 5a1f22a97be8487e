/**
 * The unotify backend through the library (@sb/sandbox run): the race programs
 * of @sb/unotify's tests against a real policy, and what the backend refuses.
 * (The whole end-to-end suite also runs on it: e2e.test.ts.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { definePolicy } from '@sb/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { run, runAsNobody, runAsRoot } from './helpers.js';

/** Tries per race run here (CI time); the 100,000-try runs are in @sb/unotify (tests and README). */
const TRIES = Number(process.env.SB_RACE_TRIES ?? 5_000);
const RACES = fileURLToPath(new URL('../../unotify/test/fixtures/', import.meta.url));

let bin: Record<string, string>;
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-races-'));
  chmodSync(dir, 0o755);
  bin = {};
  for (const name of ['race-buffer', 'race-symlink']) {
    bin[name] = join(dir, name);
    execFileSync('gcc', ['-O1', '-pthread', '-o', bin[name]!, join(RACES, `${name}.c`)]);
    chmodSync(bin[name]!, 0o755);
  }
});

function raceDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sandbox-race-'));
  chmodSync(dir, 0o777);
  for (const d of ['okdir', 'nodir']) mkdirSync(join(dir, d), { mode: 0o755 });
  writeFileSync(join(dir, 'okdir', 'file'), 'public\n', { mode: 0o644 });
  writeFileSync(join(dir, 'nodir', 'file'), 'SECRET\n', { mode: 0o644 });
  symlinkSync('okdir/file', join(dir, 'link'));
  symlinkSync('nodir/file', join(dir, 'other'));
  return dir;
}

const denyNodir = (dir: string) =>
  definePolicy({
    sandbox: { read: 'allow' },
    options: { magicLock: 'on' },
    rules: [{ action: 'deny', category: 'read', pattern: `${dir}/nodir/***` }],
    // Thousands of identical reports would only measure the report channel.
    quiet: [{ category: 'read', pattern: `${dir}/nodir/***` }],
  });

describe.each(['root', 'uid 65534'])('races on the unotify backend, as %s', (user) => {
  it.each(['race-buffer', 'race-symlink'])(`%s: no denied file is opened in ${TRIES} tries`, async (prog) => {
    const dir = raceDir();
    const input = {
      command: bin[prog]!,
      args: [dir, String(TRIES)],
      cwd: dir,
      policy: [{ profile: 'default' }, { policy: denyNodir(dir) }],
      backend: 'unotify',
    };
    const r = await (user === 'root' ? runAsRoot(input) : runAsNobody(input));
    const m = /tries (\d+) opened (\d+) escapes (\d+)/.exec(r.stdout);
    expect(m, r.stderr).not.toBeNull();
    expect(Number(m![3])).toBe(0);
    // The race ran: some opens were allowed and some denied.
    expect(Number(m![2])).toBeGreaterThan(0);
    expect(Number(m![2])).toBeLessThan(TRIES);
    expect(r.violations).toEqual([]);
  });
});

describe('a prestarted supervisor thread', () => {
  it('enforces as usual, and neither it nor a failed launch keeps the process alive', () => {
    const script = fileURLToPath(new URL('./fixtures/unotify-prestarted.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^code 1 violations openat \/etc\/hostname\nrefused: .*no\/such\/program/);
  });
});

describe('what the unotify backend refuses', () => {
  it('a policy with an unlocked magic path (lock off): an error naming why, nothing runs', async () => {
    await expect(
      run('true', [], {
        backend: 'unotify',
        policy: [{ profile: 'default' }, { magic: 'core/trace/magic_lock:off' }],
      }),
    ).rejects.toThrow(/magic lock is 'off'.*ptrace backend/);
  });
});

describe("@sb/unotify's README", () => {
  it('the @sb/sandbox example prints the output shown', () => {
    const readme = readFileSync(new URL('../../unotify/README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('With @sb/sandbox'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'sb-unotify-readme-'));
    try {
      const file = join(dir, 'example.mjs');
      const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
      writeFileSync(file, code!.replace("from '@sb/sandbox'", `from '${entry}'`));
      expect(execFileSync(process.execPath, [file], { encoding: 'utf8' })).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
