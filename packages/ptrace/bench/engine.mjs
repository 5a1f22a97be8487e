// Runs bench/loop under the engine: `node engine.mjs LOOP N seccomp|exit|stops` and
// prints {ms, stops} as JSON. Every syscall traps (RET_TRACE on all); `stops` runs the
// same filter in syscall-stop mode (no seccomp: entry and exit stop, filter emulated).
import { Tracer, traceFilter } from '../dist/index.js';

const [loop, n, mode] = process.argv.slice(2);
const tracer = new Tracer(mode === 'stops' ? { mode: 'syscall-stops' } : {});
const t0 = performance.now();
tracer.launch({ argv: [loop, n], filter: traceFilter({ auditArch: 0xc000003e, subAbiBit: 0x40000000 }) });
const verdict = mode === 'exit' ? { action: 'allow', exit: true } : undefined;
const r = tracer.run({ syscall: () => verdict });
console.log(JSON.stringify({ ms: performance.now() - t0, stops: r.stops }));
