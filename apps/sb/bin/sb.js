#!/usr/bin/env node
// `sb run` and `sb learn` start their tracer thread before loading the CLI's modules,
// so that the thread's own start-up runs beside them (see @sb/sandbox's prestart).
const subcommand = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (subcommand === 'run' || subcommand === 'learn') {
  const { prestart } = await import('@sb/sandbox/prestart');
  prestart();
}
const { main } = await import('../dist/main.js');

process.exitCode = await main(process.argv.slice(2));
