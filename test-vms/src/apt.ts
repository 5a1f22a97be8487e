/**
 * Fetches Debian kernel images with apt, without touching the machine's apt setup:
 * a private sources list (the archive URI is read at run time from the machine's
 * own /etc/apt/sources.list.d/debian.sources or sources.list, never written into
 * the project), private lists and cache under test-vms/cache/apt, then
 * `apt-get download` + `dpkg -x`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebianKernel } from './kernels.js';

/**
 * The Debian archive URI in an apt configuration: the first non-security URI of a
 * deb822 `.sources` file, else of a one-line `sources.list`.
 */
export function archiveUriFrom(deb822: string | null, list: string | null): string | null {
  for (const block of (deb822 ?? '').split(/\n\s*\n/)) {
    if (!/^Types:(.*\s)?deb(\s|$)/m.test(block) || /^Suites:.*-security/m.test(block)) continue;
    const m = /^URIs:\s*(\S+)/m.exec(block);
    if (m !== null) return m[1]!;
  }
  for (const line of (list ?? '').split('\n')) {
    const m = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/.exec(line);
    if (m !== null && !m[2]!.endsWith('-security')) return m[1]!;
  }
  return null;
}

/** The Debian archive URI the machine already uses (read at run time, never stored in the project). */
export function debianArchiveUri(): string {
  const deb822 = '/etc/apt/sources.list.d/debian.sources';
  const list = '/etc/apt/sources.list';
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
  const uri = archiveUriFrom(read(deb822), read(list));
  if (uri === null) throw new Error(`cannot find the Debian archive URI in ${deb822} or ${list}`);
  return uri;
}

export interface FetchedKernel {
  /** The vmlinuz path. */
  readonly image: string;
  /** The package it came from, e.g. linux-image-6.1.0-37-cloud-amd64-unsigned. */
  readonly pkg: string;
  /** Its /boot/config-* file. */
  readonly config: string;
}

function aptOptions(root: string): string[] {
  return [
    '-o',
    `Dir::Etc::sourcelist=${join(root, 'sources.list')}`,
    '-o',
    'Dir::Etc::sourceparts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(root, 'lists')}`,
    '-o',
    `Dir::Cache=${join(root, 'cache')}`,
    '-o',
    'Debug::NoLocking=1',
  ];
}

/** Updates the private apt lists for SUITES (once per run). */
export function aptUpdate(cacheDir: string, suites: readonly string[], log: (s: string) => void): string {
  const root = join(cacheDir, 'apt');
  mkdirSync(join(root, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(root, 'cache', 'archives', 'partial'), { recursive: true });
  const uri = debianArchiveUri();
  writeFileSync(
    join(root, 'sources.list'),
    suites.map((s) => `deb [trusted=yes] ${uri} ${s} main\n`).join(''),
  );
  log(`apt-get update (${suites.join(', ')})`);
  execFileSync('apt-get', [...aptOptions(root), '-qq', 'update'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return root;
}

/**
 * The image package of the suite's current kernel (what linux-image-FLAVOUR depends
 * on) for the first flavour the suite has, preferring its -unsigned variant (no
 * signature wrapper, same kernel).
 */
export function currentImagePackage(aptRoot: string, k: DebianKernel): string {
  // Default-Release makes the suite's own version the candidate (the lists hold several suites).
  const opts = [...aptOptions(aptRoot), '-o', `APT::Default-Release=${k.suite}`];
  const exists = (pkg: string) =>
    spawnSync('apt-cache', [...opts, 'show', pkg], { stdio: 'ignore' }).status === 0;
  const tried: string[] = [];
  for (const flavour of k.flavours) {
    const meta = `linux-image-${flavour}`;
    tried.push(meta);
    if (!exists(meta)) continue;
    const out = execFileSync('apt-cache', [...opts, 'depends', meta], { encoding: 'utf8' });
    const version = k.version.replace('.', '\\.');
    const m = new RegExp(`Depends:\\s*(linux-image-${version}[.\\d]*\\S*-${flavour})\\s*$`, 'm').exec(out);
    if (m === null) throw new Error(`${k.suite}: ${meta} does not depend on a ${k.version} kernel:\n${out}`);
    const image = m[1]!;
    return exists(`${image}-unsigned`) ? `${image}-unsigned` : image;
  }
  throw new Error(`${k.suite}: none of ${tried.join(', ')} is in the archive`);
}

/** Downloads and unpacks a kernel into cacheDir/kernels/PKG unless already there. */
export function fetchKernel(
  cacheDir: string,
  k: DebianKernel,
  aptRoot: () => string,
  log: (s: string) => void,
): FetchedKernel {
  const dir = join(cacheDir, 'kernels', k.suite);
  const found = existsSync(dir) ? unpacked(dir) : null;
  if (found !== null) return found;
  const root = aptRoot();
  const pkg = currentImagePackage(root, k);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  log(`apt-get download ${pkg}`);
  execFileSync('apt-get', [...aptOptions(root), '-qq', 'download', pkg], {
    cwd: tmp,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const deb = readdirSync(tmp).find((f) => f.endsWith('.deb'));
  if (deb === undefined) throw new Error(`apt-get download ${pkg} left no .deb in ${tmp}`);
  execFileSync('dpkg', ['-x', join(tmp, deb), join(tmp, 'root')]);
  writeFileSync(join(tmp, 'package'), `${pkg}\n`);
  rmSync(join(tmp, deb));
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const done = unpacked(dir);
  if (done === null) throw new Error(`${pkg}: no /boot/vmlinuz-* in the package`);
  return done;
}

function unpacked(dir: string): FetchedKernel | null {
  const boot = join(dir, 'root', 'boot');
  if (!existsSync(boot) || !existsSync(join(dir, 'package'))) return null;
  const files = readdirSync(boot);
  const vmlinuz = files.find((f) => f.startsWith('vmlinuz-'));
  const config = files.find((f) => f.startsWith('config-'));
  if (vmlinuz === undefined || config === undefined) return null;
  // Only /boot is kept: everything the suite needs is built in (checked by config.ts).
  rmSync(join(dir, 'root', 'lib'), { recursive: true, force: true });
  rmSync(join(dir, 'root', 'usr'), { recursive: true, force: true });
  return {
    image: join(boot, vmlinuz),
    config: join(boot, config),
    pkg: readFileSync(join(dir, 'package'), 'utf8').trim(),
  };
}
