/**
 * Child process for the loader tests (never load filters into the test runner). Loads the
 * filter given on the command line with loadFilter(), then calls getppid(2) from the main
 * thread and from a worker thread, and prints what each got as JSON.
 *
 *   node --import tsx load-child.ts '{"program":"<hex>","opts":{"flags":["TSYNC"]}}'
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { decode } from '../../src/insn.js';
import { loadFilter } from '../../src/loader/load.js';

const require = createRequire(import.meta.url);
const koffiPath = require.resolve('koffi');
const spec = JSON.parse(process.argv[2] ?? '{}') as {
  program: string;
  opts: Record<string, unknown>;
  nr: number;
  /** A filter to load first (with TSYNC), e.g. one that makes seccomp(2) ENOSYS. */
  pre?: string;
};

function call(): { ret: number; errno: number } {
  const koffi = require(koffiPath);
  const syscall = koffi.load('libc.so.6').func('long syscall(long, ...)');
  const ret = Number(syscall(spec.nr));
  return { ret, errno: ret === -1 ? koffi.errno() : 0 };
}

// The worker exists before the filter is loaded, like libuv's and V8's threads do.
const worker = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
   const koffi = require(workerData.koffiPath);
   const syscall = koffi.load('libc.so.6').func('long syscall(long, ...)');
   parentPort.postMessage('ready');
   parentPort.on('message', () => {
     const ret = Number(syscall(workerData.nr));
     parentPort.postMessage({ ret, errno: ret === -1 ? koffi.errno() : 0 });
   });`,
  { eval: true, workerData: { koffiPath, nr: spec.nr } },
);
worker.once('message', () => {
  const out: Record<string, unknown> = {};
  if (spec.pre) loadFilter(decode(Buffer.from(spec.pre, 'hex')), { flags: ['TSYNC'] });
  try {
    out.load = loadFilter(decode(Buffer.from(spec.program, 'hex')), spec.opts);
  } catch (e) {
    out.loadError = (e as Error).message;
  }
  out.main = call();
  worker.once('message', (m) => {
    out.worker = m;
    process.stdout.write(`${JSON.stringify(out)}\n`);
    process.exit(0);
  });
  worker.postMessage('go');
});
