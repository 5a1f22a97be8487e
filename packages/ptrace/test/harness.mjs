// Runs one program under the built tracer as described by a JSON argument and
// prints "@@RESULT <json>" on stderr; exits with the program's shell status.
// Used by the tests as a separate process (so it can run as another user and be
// SIGKILLed as a supervisor).
import { shellStatus, Tracer, traceFilter } from '../dist/index.js';

const cfg = JSON.parse(process.argv[2]);
const tracer = new Tracer({ features: cfg.features ?? {} });
const filter = cfg.filterBytes
  ? Uint8Array.from(cfg.filterBytes)
  : cfg.filter === 'none'
    ? undefined
    : traceFilter({
        auditArch: 0xc000003e,
        subAbiBit: 0x40000000,
        trace: cfg.filter === 'all' || cfg.filter === undefined ? undefined : cfg.filter,
      });
const seccomp = {};
const spawns = { fork: 0, vfork: 0, clone: 0, unknown: 0 };
const execs = [];
const strings = [];
const exitValues = {};
let exits = 0;
let pid;
try {
  pid = tracer.launch({ ...(cfg.launch ?? {}), argv: cfg.argv, filter });
} catch (e) {
  process.stderr.write(
    `@@RESULT ${JSON.stringify({ launchError: { message: e.message, step: e.step, errno: e.errno } })}\n`,
  );
  process.exit(99);
}
if (cfg.announce) process.stderr.write(`@@PID ${pid}\n`);
const r = tracer.run({
  syscall(s) {
    const key = `${s.abi}:${s.nr}`;
    seccomp[key] = (seccomp[key] ?? 0) + 1;
    if (cfg.strings?.[s.nr] !== undefined) {
      const rec = [];
      for (let i = 0; i < cfg.strings[s.nr]; i++) {
        try {
          rec.push({ ok: tracer.memory.readCString(s.tid, s.args[i]).toString('latin1') });
        } catch (e) {
          rec.push({ err: e.code });
        }
      }
      strings.push(rec);
    }
    if (cfg.deny?.[s.nr] !== undefined) return { action: 'deny', errno: cfg.deny[s.nr] };
    if (cfg.fake?.[s.nr] !== undefined) return { action: 'return', value: BigInt(cfg.fake[s.nr]) };
    if (cfg.rewrite?.[s.nr] !== undefined) {
      const [i, v] = cfg.rewrite[s.nr];
      return { action: 'allow', args: { [i]: BigInt(v) }, exit: true };
    }
    return cfg.exits ? { action: 'allow', exit: true } : undefined;
  },
  syscallExit(e) {
    const key = `${e.abi}:${e.nr}`;
    exitValues[key] = [...(exitValues[key] ?? []), String(e.ret)];
  },
  spawn(ev) {
    spawns[ev.kind]++;
  },
  exec(ev) {
    execs.push(ev);
  },
  exit() {
    exits++;
  },
});
const result = {
  pid,
  status: r.status,
  shell: shellStatus(r.status),
  stops: r.stops,
  seccomp,
  spawns,
  execs,
  exits,
  strings,
  exitValues,
  launch: tracer.lastLaunch,
};
process.stderr.write(`@@RESULT ${JSON.stringify(result)}\n`);
process.exit(shellStatus(r.status));
