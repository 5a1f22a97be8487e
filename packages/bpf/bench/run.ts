/**
 * Benchmark: our compiler against libseccomp (seccomp_export_bpf at SCMP_FLTATR_CTL_OPTIMIZE=2)
 * on the same policies. Figures come from the emulator: program length, instructions
 * executed per syscall (mean over every syscall number of each ABI, worst case, and the
 * call-weighted mean over the 20 most frequent syscalls of a real build, workload.json),
 * and a check that both programs return the same action for every (arch, nr).
 *
 *   pnpm --filter @sb/bpf bench          (needs gcc and libseccomp-dev)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archTarget, groupMembers } from '../src/compiler/arches.js';
import { compileDetailed } from '../src/compiler/compile.js';
import type { Policy } from '../src/compiler/types.js';
import { emulate } from '../src/emulator/emulate.js';
import { decode, type Insn } from '../src/insn.js';
import { type BenchPolicy, benchPolicies } from './policies.js';

const LIBSECCOMP_ARCH: Readonly<Record<string, string>> = {
  x86_64: 'x86_64',
  i386: 'x86',
  x32: 'x32',
  aarch64: 'aarch64',
  arm: 'arm',
};
const OPS: Readonly<Record<string, string>> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  'masked==': 'masked_eq',
};
const BOUNDARY = [0n, 1n, 0x7fffffffn, 1n << 31n, (1n << 32n) - 1n, 1n << 32n, 1n << 63n, (1n << 64n) - 1n];

const dir = mkdtempSync(join(tmpdir(), 'sb-bpf-bench-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const tool = join(dir, 'libseccomp-export');
execFileSync('gcc', [
  '-O2',
  '-o',
  tool,
  fileURLToPath(new URL('./libseccomp-export.c', import.meta.url)),
  '-lseccomp',
]);

function libseccompSpec(policy: Policy): string {
  const lines = [
    `default ${policy.defaultAction >>> 0}`,
    ...policy.arches.map((a) => `arch ${LIBSECCOMP_ARCH[archTarget(a).name]}`),
  ];
  lines.push(`badarch ${(policy.badArchAction ?? 0x80000000) >>> 0}`);
  for (const r of policy.rules) {
    const names =
      typeof r.syscall === 'number'
        ? [String(r.syscall)]
        : r.syscall.startsWith('@')
          ? groupMembers(r.syscall)
          : [r.syscall];
    const conds = (r.args ?? []).map((c) =>
      c.op === 'masked=='
        ? `${c.index} masked_eq ${c.mask ?? 0n} ${c.value}`
        : `${c.index} ${OPS[c.op]} ${c.value} 0`,
    );
    for (const n of names)
      lines.push(`rule ${r.action >>> 0} ${n} ${conds.length} ${conds.join(' ')}`.trim());
  }
  return `${lines.join('\n')}\n`;
}

function libseccomp(policy: Policy): Insn[] {
  const r = spawnSync(tool, [], { input: libseccompSpec(policy) });
  if (r.status !== 0) throw new Error(`libseccomp-export failed (${r.status}): ${r.stderr}`);
  return decode(new Uint8Array(r.stdout));
}

/** Names libseccomp 2.x knows on an ABI (its tables can be older than ours). */
function libseccompKnows(arch: string, names: readonly string[]): Set<string> {
  const input = names.map((n) => `name ${LIBSECCOMP_ARCH[arch]} ${n}`).join('\n');
  const out = spawnSync(tool, [], { input: `${input}\n` }).stdout.toString();
  const known = new Set<string>();
  for (const line of out.split('\n')) {
    const [n, nr] = line.split(' ');
    if (n && nr !== undefined && Number(nr) >= 0) known.add(n);
  }
  return known;
}

const workload = JSON.parse(readFileSync(new URL('./workload.json', import.meta.url), 'utf8')) as {
  calls: Record<string, number>;
};
const hot = Object.entries(workload.calls)
  .sort((a, b) => b[1] - a[1])
  .slice(0, 20);

interface Figures {
  length: number;
  mean: number;
  worst: number;
  hot: number | undefined;
}

function measure(
  program: readonly Insn[],
  policy: Policy,
): { perArch: Map<string, Figures>; actions: Map<string, number> } {
  const perArch = new Map<string, Figures>();
  const actions = new Map<string, number>();
  for (const a of policy.arches) {
    const t = archTarget(a);
    let sum = 0;
    let n = 0;
    let worst = 0;
    for (const nr of t.byNr.keys()) {
      for (const v of [0n, ...BOUNDARY]) {
        const r = emulate(
          program,
          { arch: t.auditArch, nr, args: [v, v, v, v, v, v] },
          { littleEndian: t.littleEndian },
        );
        actions.set(`${t.name}:${nr}:${v}`, r.action >>> 0);
        worst = Math.max(worst, r.executed);
        if (v === 0n) {
          sum += r.executed;
          n++;
        }
      }
    }
    let hotFig: number | undefined;
    if (t.name === policy.arches[0]) {
      let w = 0;
      let s = 0;
      for (const [name, count] of hot) {
        const nr = t.byName.get(name);
        if (nr === undefined) continue;
        s +=
          count *
          emulate(program, { arch: t.auditArch, nr, args: [] }, { littleEndian: t.littleEndian }).executed;
        w += count;
      }
      hotFig = w ? s / w : undefined;
    }
    perArch.set(t.name, { length: program.length, mean: sum / n, worst, hot: hotFig });
  }
  return { perArch, actions };
}

const f1 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(2));

function row(bp: BenchPolicy): string[] {
  const ours = compileDetailed(bp.policy).program;
  // The same policy compiled with the workload's call counts as search-tree weights.
  const total = hot.reduce((acc, [, c]) => acc + c, 0);
  const weighted = compileDetailed(bp.policy, {
    weight: (arch, nr) => {
      const name = archTarget(arch).byNr.get(nr);
      const count = hot.find(([n]) => n === name)?.[1] ?? 0;
      return 1 + (400 * count) / total;
    },
  }).program;
  const w = measure(weighted, bp.policy);
  const theirs = libseccomp(bp.policy);
  const a = measure(ours, bp.policy);
  const b = measure(theirs, bp.policy);
  // Agreement on every (arch, nr, args); differences only where libseccomp lacks the syscall.
  let agree = 0;
  let gaps = 0;
  const byDesign = new Map<string, number>();
  const real: string[] = [];
  const knownBy = new Map<string, Set<string>>();
  for (const [key, act] of a.actions) {
    if (b.actions.get(key) === act) {
      agree++;
      continue;
    }
    const [arch, nrText, argText] = key.split(':') as [string, string, string];
    const name = archTarget(arch).byNr.get(Number(nrText)) ?? '?';
    if (!knownBy.has(arch)) knownBy.set(arch, libseccompKnows(arch, [...archTarget(arch).byName.keys()]));
    const design =
      arch === 'x32' && BigInt(argText) >> 32n !== 0n
        ? 'x32 upper halves'
        : name === 'socketcall' || name === 'ipc'
          ? 'i386 multiplexers'
          : undefined;
    if (!knownBy.get(arch)?.has(name)) gaps++;
    else if (design) byDesign.set(design, (byDesign.get(design) ?? 0) + 1);
    else
      real.push(
        `${arch} ${name} (${key}): ours ${act.toString(16)} libseccomp ${b.actions.get(key)?.toString(16)}`,
      );
  }
  if (real.length)
    console.error(`${bp.name}: ${real.length} real disagreements, e.g.\n  ${real.slice(0, 10).join('\n  ')}`);
  const lines: string[] = [];
  for (const arch of bp.policy.arches) {
    const t = archTarget(arch).name;
    const x = a.perArch.get(t) as Figures;
    const y = b.perArch.get(t) as Figures;
    const z = w.perArch.get(t) as Figures;
    lines.push(
      `| ${bp.name} | ${t} | ${x.length} / ${y.length} | ${f1(x.mean)} / ${f1(y.mean)} | ${x.worst} / ${y.worst} | ${f1(x.hot)} / ${f1(y.hot)} | ${z.hot === undefined ? '-' : `${f1(z.hot)} (${f1(z.mean)}, ${z.worst})`} | ${real.length === 0 ? 'yes' : `NO (${real.length})`} |`,
    );
  }
  notes.push(
    `${bp.name}: ${agree} (arch, nr, args) cases agree` +
      (gaps ? `; ${gaps} differ on syscalls libseccomp 2.5's tables lack` : '') +
      [...byDesign].map(([k, n]) => `; ${n} differ by design (${k})`).join('') +
      (real.length ? `; ${real.length} DISAGREE` : ''),
  );
  return lines;
}

const notes: string[] = [];

console.log(
  `libseccomp ${spawnSync('dpkg-query', ['-W', '-f', '$' + '{Version}', 'libseccomp-dev']).stdout.toString() || '(version unknown)'}, optimize=2 (binary tree)`,
);
console.log(
  `hot = call-weighted mean over the 20 most frequent syscalls of: ${JSON.parse(readFileSync(new URL('./workload.json', import.meta.url), 'utf8')).workload}\n`,
);
console.log(
  '| policy | ABI | length (ours / libseccomp) | mean executed | worst case | hot-20 | ours, workload-weighted: hot-20 (mean, worst) | same actions |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const bp of benchPolicies()) for (const l of row(bp)) console.log(l);
console.log('');
for (const n of notes) console.log(`- ${n}`);
const failed = notes.some((n) => n.includes('DISAGREE'));
process.exitCode = failed ? 1 : 0;
