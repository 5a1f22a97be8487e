#!/usr/bin/env node
// `sb run` and `sb learn` start their tracer thread (and, for --backend unotify, the
// supervisor's) before loading the CLI's modules, so that the threads' own start-up
// runs beside them (see @sb/sandbox's prestart). The modules are the bundle that the
// build makes (scripts/bundle.ts): a few files instead of some 150 for each thread.
const args = process.argv.slice(2);
const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
const subcommand = own.find((a) => !a.startsWith('-'));
const help = own.includes('--help') || own.includes('-h');
if ((subcommand === 'run' || subcommand === 'learn') && !help) {
  const at = own.indexOf('--backend');
  const backend = at >= 0 ? own[at + 1] : own.find((a) => a.startsWith('--backend='))?.slice(10);
  const { prestart } = await import('../dist/bundle/prestart.js');
  prestart({ unotify: backend?.startsWith('unotify') === true });
}
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(args);
