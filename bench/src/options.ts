/** Command-line options of `pnpm bench`. */

import { parseArgs } from 'node:util';
import type { Variant } from './results.js';

export interface Options {
  readonly runs: number;
  readonly warmups: number;
  readonly quick: boolean;
  readonly workloads: readonly string[];
  readonly contenders: readonly string[];
  readonly variants: readonly Variant[];
  readonly pinCpu: number;
  readonly pinAll: boolean;
  readonly timeoutSec: number;
  readonly workdir: string;
  readonly outDir: string;
  readonly write: boolean;
  readonly list: boolean;
  /** Re-render the markdown and SVG of an existing results JSON; no measuring. */
  readonly render?: string;
  readonly help: boolean;
}

export class OptionError extends Error {
  override name = 'OptionError';
}

export const USAGE = `usage: pnpm bench [options]   (or: cd bench && npx tsx src/main.ts [options])

  --workload X      only these workloads (repeatable or comma-separated)
  --contender Y     only these contenders (native always runs: it is the baseline)
  --runs N          counted runs per contender (default 5; --quick: 2)
  --warmups N       warm-up runs per contender, not counted (default 1)
  --quick           smoke test: small workload sizes, 1 warm-up + 2 runs
  --variants LIST   free, pinned or free,pinned (default); pinned runs native and the
                    supervised contenders (ptrace, user notification) on one CPU
  --pin-all         pin every contender in the pinned variant, not only supervised ones
  --pin-cpu N       the CPU of the pinned variant (default 0)
  --timeout SEC     per run (default 900)
  --workdir DIR     where workloads are generated (default bench/work)
  --out DIR         where results are written (default bench/results)
  --no-write        print the markdown table, write no files
  --list            show workloads and contenders (with availability) and exit
  --render FILE     rewrite FILE's .md and .svg (and latest.*) from the results JSON FILE
  -h, --help        this text`;

function count(name: string, v: string | undefined, min: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < min)
    throw new OptionError(`--${name}: expected an integer >= ${min}, got '${v}'`);
  return Number(v);
}

function list(values: readonly string[] | undefined, known: readonly string[], what: string): string[] {
  const out = (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const v of out)
    if (!known.includes(v)) throw new OptionError(`unknown ${what} '${v}' (known: ${known.join(', ')})`);
  return [...new Set(out)];
}

export function parseOptions(
  argv: readonly string[],
  known: { workloads: readonly string[]; contenders: readonly string[] },
  defaults: { workdir: string; outDir: string },
): Options {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (e) {
    throw new OptionError((e as Error).message);
  }
  const quick = values.quick === true;
  const variants = list(
    values.variants === undefined ? ['free,pinned'] : [values.variants],
    ['free', 'pinned'],
    'variant',
  );
  if (variants.length === 0) throw new OptionError('--variants: name free, pinned or both');
  return {
    quick,
    runs: count('runs', values.runs, 1, quick ? 2 : 5),
    warmups: count('warmups', values.warmups, 0, 1),
    workloads: list(values.workload, known.workloads, 'workload'),
    contenders: list(values.contender, known.contenders, 'contender'),
    variants: variants as Variant[],
    pinCpu: count('pin-cpu', values['pin-cpu'], 0, 0),
    pinAll: values['pin-all'] === true,
    timeoutSec: count('timeout', values.timeout, 1, 900),
    workdir: values.workdir ?? defaults.workdir,
    outDir: values.out ?? defaults.outDir,
    write: values['no-write'] !== true,
    list: values.list === true,
    ...(values.render !== undefined ? { render: values.render } : {}),
    help: values.help === true,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      workload: { type: 'string', multiple: true },
      contender: { type: 'string', multiple: true },
      runs: { type: 'string' },
      warmups: { type: 'string' },
      quick: { type: 'boolean' },
      variants: { type: 'string' },
      'pin-all': { type: 'boolean' },
      'pin-cpu': { type: 'string' },
      timeout: { type: 'string' },
      workdir: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean' },
      list: { type: 'boolean' },
      render: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
