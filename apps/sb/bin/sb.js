#!/usr/bin/env node
// `sb run` and `sb learn` start their tracer thread before loading the CLI's modules,
// so that the thread's own start-up runs beside them (see @sb/sandbox's prestart). (A
// unotify supervisor needs no thread: it runs on this one, see run.ts.) The modules are
// the bundle that the build makes (scripts/bundle.ts): a few files instead of some 150
// for each thread.
const args = process.argv.slice(2);
const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const subcommand = own.find((a) => !a.startsWith('-'));
const help = own.includes('--help') || own.includes('-h');
if ((subcommand === 'run' || subcommand === 'learn') && !help) {
  const { prestart } = await import('../dist/bundle/prestart.js');
  prestart();
}
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(args);
