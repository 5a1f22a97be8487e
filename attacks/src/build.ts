/**
 * Compiles the corpus (programs/*.c) and the host helpers (programs/helpers/*.c) with gcc into a
 * cache directory outside git, keyed by a hash of the sources and the compiler: an unchanged
 * corpus is not rebuilt. The directory is world-readable so uid 65534 can run the programs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROGRAMS_DIR = fileURLToPath(new URL('../programs', import.meta.url));

export interface Built {
  readonly dir: string;
  /** Attack programs by name. */
  readonly programs: ReadonlyMap<string, string>;
  /** Host helpers and payloads by name (marker, probe, handle, fdsend, ptyrun, payload-i386). */
  readonly helpers: ReadonlyMap<string, string>;
}

function sources(): { attacks: string[]; helpers: string[]; headers: string[] } {
  const top = readdirSync(PROGRAMS_DIR).sort();
  return {
    attacks: top.filter((f) => f.endsWith('.c')),
    headers: top.filter((f) => f.endsWith('.h')),
    helpers: readdirSync(join(PROGRAMS_DIR, 'helpers'))
      .filter((f) => f.endsWith('.c'))
      .sort(),
  };
}

function flagsFor(helper: string): string[] {
  if (helper === 'payload-i386') return ['-m32', '-nostdlib', '-static', '-ffreestanding', '-fno-pic', '-O1'];
  if (helper === 'ptyrun') return ['-O1', '-lutil'];
  return ['-O1'];
}

/** Builds what changed (or nothing) and returns the paths. */
export function buildCorpus(
  cacheRoot = process.env.SB_ATTACKS_CACHE ?? join(tmpdir(), 'sb-attacks-cache'),
): Built {
  const s = sources();
  const h = createHash('sha256');
  h.update(execFileSync('gcc', ['--version'], { encoding: 'utf8' }));
  for (const f of [...s.attacks, ...s.headers]) h.update(f).update(readFileSync(join(PROGRAMS_DIR, f)));
  for (const f of s.helpers) h.update(f).update(readFileSync(join(PROGRAMS_DIR, 'helpers', f)));
  const dir = join(cacheRoot, h.digest('hex').slice(0, 16));
  const programs = new Map(s.attacks.map((f) => [f.slice(0, -2), join(dir, f.slice(0, -2))]));
  const helpers = new Map(s.helpers.map((f) => [f.slice(0, -2), join(dir, f.slice(0, -2))]));
  if (existsSync(join(dir, '.complete'))) return { dir, programs, helpers };
  mkdirSync(cacheRoot, { recursive: true, mode: 0o755 });
  chmodSync(cacheRoot, 0o755);
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { mode: 0o755 });
  const cc = (src: string, out: string, flags: string[]) => {
    try {
      execFileSync('gcc', ['-Wall', '-Wno-unused-result', '-o', out, src, ...flags, '-lpthread'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      throw new Error(`gcc failed for ${src}:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? e}`);
    }
  };
  for (const f of s.attacks) cc(join(PROGRAMS_DIR, f), join(tmp, f.slice(0, -2)), ['-O1']);
  for (const f of s.helpers) {
    const n = f.slice(0, -2);
    const flags = flagsFor(n);
    // The i386 payload links no libc (this machine has no multilib): no -lpthread either.
    if (n === 'payload-i386')
      execFileSync('gcc', ['-o', join(tmp, n), join(PROGRAMS_DIR, 'helpers', f), ...flags]);
    else cc(join(PROGRAMS_DIR, 'helpers', f), join(tmp, n), flags);
  }
  writeFileSync(join(tmp, '.complete'), '');
  chmodSync(tmp, 0o755);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, programs, helpers };
}
