/**
 * Generates packages/syscalls/data/*.json from the committed kernel source
 * (source/linux-<version>/, see source/SOURCE.md), the syscalls(2) man page and
 * the hand-written tables under source/. Run with `pnpm generate`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCH_SPECS } from './gen/arch-specs.js';
import { argsFor, loadPrototypes } from './gen/args.js';
import { loadGroups } from './gen/groups.js';
import { auditArch, errnos, multiplexerCalls, signals } from './gen/headers.js';
import { archCalls, armPrivateCalls } from './gen/tables.js';
import { loadVersions, norm } from './gen/versions.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(pkg, 'source');
// `--out DIR` writes elsewhere (the freshness test compares a fresh run with data/).
const outFlag = process.argv.indexOf('--out');
const dataDir = outFlag >= 0 && process.argv[outFlag + 1] ? process.argv[outFlag + 1]! : join(pkg, 'data');
const primary = join(source, 'linux-7.3');

/** JSON with one line per array element of the given depth: readable diffs, small files. */
function writeJson(name: string, value: unknown, depth = 2): void {
  const render = (v: unknown, level: number, indent: string): string => {
    if (level >= depth || v === null || typeof v !== 'object') return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[\n${v.map((x) => inner + render(x, level + 1, inner)).join(',\n')}\n${indent}]`;
    }
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${render(x, level + 1, inner)}`).join(',\n')}\n${indent}}`;
  };
  writeFileSync(join(dataDir, name), `${render(value, 0, '')}\n`);
}

mkdirSync(dataDir, { recursive: true });

const prototypes = loadPrototypes(primary);
const versions = loadVersions(source);
const groups = loadGroups(source);
const mux = multiplexerCalls(primary);

const arches: unknown[] = [];
// Argument lists repeat across ABIs: stored once, referenced by index from each row.
const argLists: unknown[] = [];
const argIndex = new Map<string, number>();
const intern = (args: unknown): number => {
  const key = JSON.stringify(args);
  let i = argIndex.get(key);
  if (i === undefined) {
    i = argLists.push(args) - 1;
    argIndex.set(key, i);
  }
  return i;
};
const syscalls: Record<string, unknown[]> = {};
const errnoOut: Record<string, unknown[]> = {};
const signalOut: Record<string, unknown[]> = {};

for (const spec of ARCH_SPECS) {
  const calls = archCalls(source, spec);
  if (spec.name === 'arm') calls.push(...armPrivateCalls(primary));
  calls.sort((a, b) => a.nr - b.nr);
  const byName = new Map(calls.map((c) => [c.name, c]));
  const multiplexers: Record<string, unknown> = {};
  const socketcall = byName.get('socketcall');
  if (socketcall?.implemented) multiplexers.socketcall = { nr: socketcall.nr, calls: mux.socketcall };
  const ipc = byName.get('ipc');
  if (ipc?.implemented) multiplexers.ipc = { nr: ipc.nr, calls: mux.ipc };
  const audit = auditArch(primary, spec.auditArchName);
  // Byte order as the kernel reports it to seccomp (the __AUDIT_ARCH_LE bit), unless the spec says.
  const endian = spec.endian ?? (audit & 0x40000000 ? 'little' : 'big');
  arches.push({
    name: spec.name,
    aliases: spec.aliases,
    auditArch: audit,
    auditArchName: spec.auditArchName,
    bits: spec.bits,
    endian,
    syscallBit: spec.syscallBit ?? 0,
    syscallBase: spec.syscallBase ?? 0,
    introduced: norm(spec.introduced),
    multiplexers,
  });
  syscalls[spec.name] = calls.map((c) => {
    const args = argsFor(spec, endian, c, prototypes);
    return [
      c.name,
      c.nr,
      c.implemented ? 1 : 0,
      versions.since(spec, c.name),
      args === null ? null : intern(args),
    ];
  });
  errnoOut[spec.name] = errnos(primary, spec).map((e) => [
    e.name,
    e.number,
    e.aliasOf ?? null,
    e.description ?? null,
  ]);
  signalOut[spec.name] = signals(primary, spec).map((s) => [s.name, s.number, s.aliasOf ?? null]);
}

writeJson('arches.json', arches, 1);
// One file per ABI: a process needs its own ABIs' tables (three on x86_64), and every
// sandbox thread loads them; one file of all 34 cost each thread ~8 ms of JSON parsing.
writeJson('syscall-args.json', argLists, 1);
for (const [abi, rows] of Object.entries(syscalls)) writeJson(`syscalls.${abi}.json`, rows, 1);
for (const [abi, rows] of Object.entries(errnoOut)) writeJson(`errno.${abi}.json`, rows, 1);
writeJson('signals.json', signalOut, 2);
writeJson('groups.json', groups, 1);

console.log(`generate: ${arches.length} ABIs written to ${dataDir}`);
