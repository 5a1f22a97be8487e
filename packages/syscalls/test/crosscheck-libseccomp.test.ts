/**
 * Our numbers against libseccomp (Debian package `seccomp`), for every
 * architecture libseccomp knows.
 *
 * scmp_sys_resolver answers one name per process (~8 ms each; 19 ABIs x ~680
 * names would take minutes), so the full sweep goes through a batch front end
 * (fixtures/seccomp-resolve.c) to the same libseccomp function the tool calls,
 * and the scmp_sys_resolver binary itself is run on a seeded sample of every
 * ABI to show both answer alike. libseccomp answers -1 for a name it does not
 * know and other negative pseudo-numbers for calls absent on an ABI (including
 * the socket and IPC calls it routes through socketcall/ipc): both count as
 * "absent" here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getArch, syscallNames, syscalls } from '../src/index.js';
import { type Comparison, compareNumbers, describeComparison } from './helpers/crosscheck.js';

/** libseccomp's architecture names (seccomp_arch_resolve_name), newest list; unknown ones are reported. */
const LIBSECCOMP_ARCHES = [
  'x86',
  'x86_64',
  'x32',
  'arm',
  'aarch64',
  'loongarch64',
  'm68k',
  'mips',
  'mips64',
  'mips64n32',
  'mipsel',
  'mipsel64',
  'mipsel64n32',
  'ppc',
  'ppc64',
  'ppc64le',
  's390',
  's390x',
  'parisc',
  'parisc64',
  'riscv64',
  'sheb',
  'sh',
];

/**
 * Names libseccomp 2.5.4 numbers that our kernel table does not have on that
 * ABI, each checked against the kernel source. Anything else fails the test.
 */
const KNOWN_ONLY_THEIRS: Record<string, string> = {
  // arch/parisc/kernel/syscalls/syscall.tbl lists `140 32 _llseek`: 32-bit only. libseccomp also gives it to parisc64.
  'parisc64:_llseek': 'kernel table: abi 32 only',
};

const RESOLVER = '/usr/bin/scmp_sys_resolver';
let work: string;
let helper: string;

beforeAll(() => {
  expect(
    existsSync(RESOLVER),
    `${RESOLVER} is missing: install Debian package seccomp (scripts/setup-system.mjs)`,
  ).toBe(true);
  work = mkdtempSync(join(tmpdir(), 'sb-syscalls-seccomp-'));
  helper = join(work, 'seccomp-resolve');
  // Links the runtime library directly: the -dev package (seccomp.h, libseccomp.so) is not needed.
  execFileSync('gcc', [
    '-O1',
    '-o',
    helper,
    join(import.meta.dirname, 'fixtures/seccomp-resolve.c'),
    '-l:libseccomp.so.2',
  ]);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** arch -> name -> libseccomp's number (negative = absent); arches libseccomp does not know are left out. */
function resolveAll(arches: string[], names: readonly string[]): Map<string, Map<string, number>> {
  const input = arches.flatMap((a) => names.map((n) => `${a} ${n}`)).join('\n');
  const out = execFileSync(helper, { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  const res = new Map<string, Map<string, number>>();
  for (const line of out.trim().split('\n')) {
    const [arch, name, value] = line.split(' ') as [string, string, string];
    if (value === 'unknown-arch') continue;
    const m = res.get(arch) ?? new Map<string, number>();
    res.set(arch, m);
    m.set(name, Number(value));
  }
  return res;
}

function compareArch(libArch: string, theirs: Map<string, number>, ours?: Map<string, number>): Comparison {
  const arch = getArch(libArch).name;
  const mine = ours ?? new Map(syscalls(arch).map((s) => [s.name, s.nr]));
  const t = new Map([...theirs].map(([n, v]) => [n, v >= 0 ? v : null]));
  return compareNumbers(arch, mine, t);
}

describe('numbers agree with libseccomp', () => {
  let resolved: Map<string, Map<string, number>>;
  beforeAll(() => {
    resolved = resolveAll(LIBSECCOMP_ARCHES, syscallNames());
  });

  it('libseccomp knows at least the 19 ABIs of libseccomp 2.5', () => {
    console.info(`libseccomp knows: ${[...resolved.keys()].join(' ')}`);
    expect(resolved.size).toBeGreaterThanOrEqual(19);
    for (const a of resolved.keys()) expect(getArch(a).name).toBeTruthy();
  });

  it('agrees on every number, for every ABI libseccomp knows', () => {
    const failures: string[] = [];
    let agreed = 0;
    for (const [libArch, theirs] of resolved) {
      const c = compareArch(libArch, theirs);
      console.info(describeComparison(c));
      agreed += c.agreed;
      for (const m of c.mismatches)
        failures.push(`${c.arch}: ${m.name} ours=${m.ours} libseccomp=${m.theirs}`);
      for (const x of c.onlyTheirs) {
        if (!KNOWN_ONLY_THEIRS[`${c.arch}:${x.name}`])
          failures.push(`${c.arch}: ${x.name}=${x.nr} only in libseccomp`);
      }
    }
    expect(failures).toEqual([]);
    expect(agreed).toBeGreaterThan(19 * 300);
  });

  it('reports a changed number (mutation of a copy of the table)', () => {
    const theirs = resolved.get('aarch64')!;
    const mutated = new Map(syscalls('aarch64').map((s) => [s.name, s.nr]));
    mutated.set('openat', 57);
    const c = compareArch('aarch64', theirs, mutated);
    expect(c.mismatches).toEqual([{ name: 'openat', ours: 57, theirs: 56 }]);
    // And a name that libseccomp numbers but we lost.
    mutated.delete('connect');
    expect(compareArch('aarch64', theirs, mutated).onlyTheirs).toEqual([{ name: 'connect', nr: 203 }]);
  });

  it('scmp_sys_resolver itself gives the same answers (seeded sample per ABI)', () => {
    const names = syscallNames();
    const sample = fc.sample(fc.constantFrom(...names), { seed: 0x5eccbb, numRuns: 6 });
    const checks: { arch: string; name: string }[] = [];
    for (const arch of resolved.keys())
      for (const name of [...sample, 'openat', 'socketcall']) checks.push({ arch, name });
    // One shell runs the whole sample: a process per lookup is what the tool allows.
    const script = checks
      .map(({ arch, name }) => `echo "${arch} ${name} $(${RESOLVER} -a ${arch} ${name})"`)
      .join('\n');
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(checks.length);
    for (const line of lines) {
      const [arch, name, value] = line.split(' ') as [string, string, string];
      expect(Number(value), `${arch} ${name}`).toBe(resolved.get(arch)!.get(name));
      const ours = syscalls(getArch(arch)).find((s) => s.name === name);
      if (Number(value) >= 0) expect(ours?.nr, `${arch} ${name}`).toBe(Number(value));
    }
  });
});
