/**
 * `pnpm bench`: sb's overhead against native and against the sandboxes users
 * would pick instead, side by side. See ../README.md.
 */

import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTENDERS, native } from './contenders/index.js';
import { OptionError, parseOptions, USAGE } from './options.js';
import { renderMarkdown } from './report/markdown.js';
import { readResults, writeResults } from './report/write.js';
import { detectAll, runBench } from './runner.js';
import { WORKLOADS } from './workloads/index.js';

const benchRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(benchRoot, '..');

async function main(argv: readonly string[]): Promise<number> {
  let o: ReturnType<typeof parseOptions>;
  try {
    o = parseOptions(
      argv,
      { workloads: WORKLOADS.map((w) => w.id), contenders: CONTENDERS.map((c) => c.id) },
      { workdir: join(benchRoot, 'work'), outDir: join(benchRoot, 'results') },
    );
  } catch (e) {
    if (e instanceof OptionError) {
      process.stderr.write(`bench: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (o.render !== undefined) {
    const r = readResults(o.render);
    for (const p of writeResults(r, o.outDir)) process.stderr.write(`wrote ${p}\n`);
    return 0;
  }
  const workloads = o.workloads.length ? WORKLOADS.filter((w) => o.workloads.includes(w.id)) : WORKLOADS;
  // native always runs: every ratio is taken against it.
  const contenders = o.contenders.length
    ? CONTENDERS.filter((c) => c === native || o.contenders.includes(c.id))
    : CONTENDERS;

  if (o.list) {
    const probeDir = join(o.workdir, '.probe');
    rmSync(probeDir, { recursive: true, force: true });
    mkdirSync(probeDir, { recursive: true });
    const found = await detectAll(contenders, {
      path: process.env.PATH ?? '',
      env: process.env,
      repoRoot,
      benchRoot,
      probeDir,
    });
    process.stdout.write('workloads:\n');
    for (const w of workloads) process.stdout.write(`  ${w.id.padEnd(14)} ${w.description}\n`);
    process.stdout.write('contenders:\n');
    for (const c of contenders) {
      const a = found.get(c.id)!;
      const state =
        a.status === 'available'
          ? `available${a.version ? ` (${a.version})` : ''}`
          : `${a.status}: ${a.reason}`;
      process.stdout.write(`  ${c.id.padEnd(14)} ${state}\n  ${''.padEnd(14)} ${c.commandLine}\n`);
    }
    return 0;
  }

  const result = await runBench({
    options: o,
    workloads,
    contenders,
    repoRoot,
    benchRoot,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (o.write) {
    for (const p of writeResults(result, o.outDir)) process.stderr.write(`wrote ${p}\n`);
  } else process.stdout.write(renderMarkdown(result));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
