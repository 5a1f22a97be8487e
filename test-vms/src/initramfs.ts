/**
 * Builds the test-VM initramfs: busybox-static, the machine's node and the
 * libraries `ldd` lists for it, the built workspace packages the guest suite
 * imports (hand-picked: package.json and the files each publishes, plus koffi's
 * native part), the static C fixtures, the emulation filters and /init. Cached
 * under cache/ by a hash of everything that goes in.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { type Entry, writeCpio } from './cpio.js';
import { emulationFilter } from './emulation.js';
import { PERSONALITIES } from './kernels.js';

export const PACKAGE_DIR = join(import.meta.dirname, '..');

export interface Initramfs {
  readonly path: string;
  readonly hash: string;
  readonly bytes: number;
  readonly cached: boolean;
}

/** Compiles a C fixture statically (cached by source hash). */
export function buildFixture(cacheDir: string, name: string): string {
  const src = join(PACKAGE_DIR, 'fixtures', `${name}.c`);
  const hash = createHash('sha256').update(readFileSync(src)).digest('hex').slice(0, 16);
  const out = join(cacheDir, 'fixtures', `${name}-${hash}`);
  if (!existsSync(out)) {
    mkdirSync(dirname(out), { recursive: true });
    execFileSync('gcc', ['-static', '-O2', '-Wall', '-Werror', '-o', `${out}.tmp`, src], {
      stdio: 'inherit',
    });
    renameSync(`${out}.tmp`, out);
  }
  return out;
}

/** Shared libraries a dynamic executable needs, as `ldd` lists them (and the loader). */
export function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m !== null) libs.push(m[1]!);
  }
  if (libs.length === 0) throw new Error(`ldd ${binary} listed no libraries:\n${out}`);
  return libs;
}

function findPackage(from: string, name: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`cannot find package ${name} from ${from}`);
  }
}

/** Not needed at run time: nested installs, tests, docs, sources maps and type declarations. */
const SKIP_DIRS = new Set(['node_modules', 'test', 'tests', 'doc', 'docs', 'bench', '.turbo']);
const SKIP_FILES = /\.(d\.ts|d\.ts\.map|js\.map|md)$/;

/** SKIP_DIRS only at a package's top: below it, `doc/` may be code (yaml's dist/doc/). */
function walk(dir: string, out: string[], top = true): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !(top && SKIP_DIRS.has(e.name))) walk(p, out, false);
    else if (e.isFile() && !SKIP_FILES.test(e.name)) out.push(p);
  }
}

/**
 * The runtime files of a package and of everything it depends on (dependencies and
 * optionalDependencies that are installed), laid out flat under node_modules/.
 */
export function runtimeFiles(rootPkgDir: string): { from: string; to: string }[] {
  const seen = new Map<string, string>();
  const queue: string[] = [realpathSync(rootPkgDir)];
  const files: { from: string; to: string }[] = [];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      name: string;
      files?: string[];
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    if (seen.has(pkg.name)) {
      if (seen.get(pkg.name) !== dir)
        throw new Error(`two copies of ${pkg.name}: ${seen.get(pkg.name)} and ${dir}`);
      continue;
    }
    seen.set(pkg.name, dir);
    const list: string[] = [];
    // A `files` list with globs (zod's) is taken as the whole package.
    const roots = pkg.files === undefined || pkg.files.some((f) => /[*?]/.test(f)) ? ['.'] : pkg.files;
    for (const r of roots) {
      const p = join(dir, r);
      if (!existsSync(p)) continue;
      if (statSync(p).isDirectory()) walk(p, list, r === '.');
      else list.push(p);
    }
    list.push(join(dir, 'package.json'));
    for (const f of new Set(list))
      files.push({ from: f, to: `sb/node_modules/${pkg.name}/${relative(dir, f)}` });
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push(findPackage(dir, name));
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) {
      try {
        queue.push(findPackage(dir, name));
      } catch {
        // Optional dependencies for other platforms are not installed.
      }
    }
  }
  return files;
}

/** Everything that goes into the initramfs, in order (directories before their files). */
export function initramfsEntries(cacheDir: string): Entry[] {
  const node = realpathSync(process.execPath);
  const busybox = '/bin/busybox';
  if (!existsSync(busybox)) throw new Error('/bin/busybox is missing: apt-get install busybox-static');
  const entries: Entry[] = [];
  const dirs = new Set<string>();
  const dir = (p: string) => {
    const parts = p.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const d = parts.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ type: 'dir', path: d, mode: d === 'tmp' ? 0o1777 : 0o755 });
      }
    }
  };
  const file = (to: string, from: string | Uint8Array, mode = 0o644) => {
    const rel = to.replace(/^\/+/, '');
    dir(dirname(rel));
    entries.push({
      type: 'file',
      path: rel,
      mode,
      from: typeof from === 'string' ? realpathSync(from) : from,
    });
  };
  for (const d of ['proc', 'sys', 'dev', 'tmp', 'bin', 'sbin', 'etc', 'root']) dir(d);
  file('init', readFileSync(join(PACKAGE_DIR, 'src', 'guest', 'init.sh')), 0o755);
  file('bin/busybox', busybox, 0o755);
  entries.push({ type: 'symlink', path: 'bin/sh', target: 'busybox' });
  file('sbin/sb-entropy', buildFixture(cacheDir, 'entropy'), 0o755);
  file('sbin/sb-run-as', buildFixture(cacheDir, 'run-as'), 0o755);
  file('sbin/sb-probe', buildFixture(cacheDir, 'probe'), 0o755);
  file('usr/bin/node', node, 0o755);
  for (const lib of sharedLibraries(node)) file(lib, lib, 0o755);
  file(
    'etc/passwd',
    Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/tmp:/bin/sh\n'),
  );
  file('etc/group', Buffer.from('root:x:0:\nnogroup:x:65534:\n'));
  for (const p of PERSONALITIES) file(`etc/sb/emulate-${p}.bpf`, emulationFilter(p).bytes);
  const suite = join(PACKAGE_DIR, 'dist', 'guest', 'suite.js');
  if (!existsSync(suite)) throw new Error(`${suite} is missing: build the workspace first`);
  for (const f of runtimeFiles(PACKAGE_DIR)) file(f.to, f.from, statSync(f.from).mode & 0o777);
  return entries;
}

/** Hash of the entries' names, modes and contents. */
export function hashEntries(entries: readonly Entry[]): string {
  const h = createHash('sha256');
  for (const e of entries) {
    h.update(`${e.type}\0${e.path}\0`);
    if (e.type === 'dir') h.update(`${e.mode}\0`);
    else if (e.type === 'symlink') h.update(`${e.target}\0`);
    else {
      h.update(`${e.mode}\0`);
      h.update(typeof e.from === 'string' ? readFileSync(e.from) : e.from);
      h.update('\0');
    }
  }
  return h.digest('hex').slice(0, 20);
}

export function buildInitramfs(cacheDir: string): Initramfs {
  const entries = initramfsEntries(cacheDir);
  const hash = hashEntries(entries);
  const path = join(cacheDir, `initramfs-${hash}.cpio`);
  if (existsSync(path)) return { path, hash, bytes: statSync(path).size, cached: true };
  mkdirSync(cacheDir, { recursive: true });
  // Older builds are dead weight (100+ MB each): keep only the current one.
  for (const f of readdirSync(cacheDir)) {
    if (/^initramfs-[0-9a-f]+\.cpio(\.tmp)?$/.test(f)) rmSync(join(cacheDir, f), { force: true });
  }
  const bytes = writeCpio(`${path}.tmp`, entries, (f) => statSync(f).size);
  renameSync(`${path}.tmp`, path);
  return { path, hash, bytes, cached: false };
}
