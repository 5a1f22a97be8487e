import type { Sample } from '../src/measure/index.js';
import type { BenchResult, Cell, ContenderReport } from '../src/results.js';
import { summarizeGroup } from '../src/runner.js';

export function sample(wallMs: number, cpuMs = wallMs): Sample {
  return { wallMs, cpuMs, userMs: cpuMs / 2, sysMs: cpuMs / 2, maxRssKb: 1000, stragglers: false };
}

const contender = (
  id: string,
  kind: ContenderReport['kind'],
  extra: Partial<ContenderReport> = {},
): ContenderReport => ({
  id,
  label: id.replace('-', ' '),
  kind,
  supervised: kind === 'sb',
  about: `${id} <about> & more`,
  commandLine: `${id} -- CMD`,
  status: 'available',
  ...extra,
});

/** A small result: two workloads, native + sb-ptrace + bwrap free, native + sb-ptrace pinned, one failure. */
export function fixtureResult(): BenchResult {
  const tracks = (entries: [string, number[] | { fail: string }][]) =>
    new Map(
      entries.map(([id, v]) => [
        id,
        Array.isArray(v)
          ? { samples: v.map((x) => sample(x)), stragglers: false }
          : {
              samples: [],
              stragglers: false,
              failure: {
                reason: v.fail,
                exitCode: 1,
                stderrTail: 'first\nbwrap: <cannot> & fail\n',
                phase: 'warmup' as const,
              },
            },
      ]),
    );
  const cells: Cell[] = [
    ...summarizeGroup(
      'build',
      'free',
      tracks([
        ['native', [100, 110, 90]],
        ['sb-ptrace', [130, 120, 125]],
        ['bwrap', [101, 99, 100]],
      ]),
    ),
    ...summarizeGroup(
      'build',
      'pinned',
      tracks([
        ['native', [120, 120, 120]],
        ['sb-ptrace', [150, 150, 150]],
      ]),
    ),
    ...summarizeGroup(
      'startup',
      'free',
      tracks([
        ['native', [1, 1, 1]],
        ['sb-ptrace', [40, 50, 45]],
        ['bwrap', { fail: 'exit status 1' }],
      ]),
    ),
    ...summarizeGroup(
      'startup',
      'pinned',
      tracks([
        ['native', [1, 1, 1]],
        ['sb-ptrace', [30, 30, 30]],
      ]),
    ),
  ];
  return {
    schema: 1,
    startedAt: '2026-11-29T08:00:00.000Z',
    finishedAt: '2026-11-29T08:05:00.000Z',
    host: 'test<host>',
    quick: true,
    options: {
      runs: 3,
      warmups: 1,
      variants: ['free', 'pinned'],
      pinCpu: 0,
      pinAll: false,
      timeoutSec: 60,
      workloads: ['build', 'startup'],
      contenders: ['native', 'sb-ptrace', 'sb-landlock', 'bwrap', 'proot'],
    },
    machine: {
      kernel: '6.18.0',
      arch: 'x64',
      cpus: 2,
      cpuModel: 'Test CPU',
      memGiB: 24,
      node: 'v20.20.2',
      loadStart: [4, 3, 2],
      loadEnd: [5, 4, 3],
    },
    contenders: [
      contender('native', 'baseline'),
      contender('sb-ptrace', 'sb'),
      contender('sb-landlock', 'sb', { status: 'not-available', reason: 'sb run has not landed' }),
      contender('bwrap', 'peer'),
      contender('proot', 'peer', { status: 'missing', reason: '`proot` not found on PATH' }),
    ],
    workloads: [
      { id: 'build', title: 'build', description: 'make', size: { units: 6 }, command: ['make'] },
      { id: 'startup', title: 'startup', description: 'true', size: {}, command: ['/bin/true'] },
    ],
    cells,
  };
}
