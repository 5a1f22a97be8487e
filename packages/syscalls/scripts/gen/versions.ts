/**
 * First kernel version of each syscall on each ABI.
 *
 * Rule: since(arch, call) = the latest of
 *   - the version in the syscalls(2) man page (source/syscalls.2.gz), or for calls
 *     newer than that page, the version in source/versions-extra.txt;
 *   - the version that introduced the ABI (arch-specs.ts);
 *   - a per-arch later wiring from source/versions-extra.txt (e.g. i386 got the
 *     direct socket calls in 4.3; before that only socketcall(2) reached them).
 * Null when no source names a version.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { ArchSpec } from './arch-specs.js';

export function parseVersion(v: string): [number, number, number] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v.trim());
  if (!m) throw new Error(`bad kernel version "${v}"`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Normalises to the kernel's own spelling: '2.6.0' -> '2.6', '3.17.0' -> '3.17', '2.6.16' stays. */
export function norm(v: string): string {
  const [a, b, c] = parseVersion(v);
  return c === 0 ? `${a}.${b}` : `${a}.${b}.${c}`;
}

/** name -> version from the man page's table rows: `\fBname\fP(2)<TAB>version[<TAB>notes]`. */
export function manPageVersions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\\fB(\w+)\\fP\(2\)\t(\d+(?:\.\d+){1,2})/.exec(line);
    if (m) out.set(m[1]!, norm(m[2]!));
  }
  return out;
}

export interface Versions {
  since(spec: ArchSpec, name: string): string | null;
  /** Names with a version from the man page or the extra table. */
  known: Set<string>;
}

export function loadVersions(source: string): Versions {
  const man = manPageVersions(gunzipSync(readFileSync(join(source, 'syscalls.2.gz'))).toString('utf8'));
  const extra = new Map<string, string>();
  const perArch = new Map<string, string>(); // `${arch}:${name}` -> version
  const file = join(source, 'versions-extra.txt');
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.replace(/#.*/, '').trim();
      if (!line) return;
      const [names, version, arches] = line.split(/\s+/);
      if (!names || !version || !/^\d+\.\d+(\.\d+)?$/.test(version))
        throw new Error(`${file}:${i + 1}: bad line`);
      for (const name of names.split(',')) {
        if (arches) for (const a of arches.split(',')) perArch.set(`${a}:${name}`, norm(version));
        else {
          if (man.has(name)) throw new Error(`${file}:${i + 1}: ${name} is already in the man page`);
          extra.set(name, norm(version));
        }
      }
    });
  const max = (...vs: (string | undefined)[]) =>
    vs.filter((v): v is string => v !== undefined).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
  return {
    known: new Set([...man.keys(), ...extra.keys()]),
    since(spec, name) {
      const base = man.get(name) ?? extra.get(name);
      if (base === undefined) return null;
      return max(base, norm(spec.introduced), perArch.get(`${spec.name}:${name}`));
    },
  };
}
