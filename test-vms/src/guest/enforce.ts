/**
 * The enforcement smoke suite: the real `sb run` on every backend `sb features
 * --json` calls usable, with the static `sb-probe` fixture (fixtures/probe.c)
 * as the sandboxed program. Each check has a control that the same policy
 * allows, so a denial is the sandbox's doing and not the fixture failing, and
 * every denial must also be reported in sb's violation log.
 *
 * Results are flat features `enforce.<backend>.<check>` whose values are the
 * verdicts in expected/history.json ('denied', 'dies', 'isolated', 'refused');
 * anything else is a description of what happened instead.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import type { FeatureMap } from '../types.js';
import { errorLine, nsFile, type RunResult, runSb, type SbFeatures, sbEntry } from './sb.js';

export interface EnforceOptions {
  /** The sb-probe fixture. */
  readonly probe: string;
  /** A program the exec check denies (busybox). */
  readonly denyExec: string;
  /** A fresh directory owned by the running user. */
  readonly work: string;
  /** Per `sb run` (TCG guests are slow). */
  readonly timeoutMs: number;
  /** Progress, one line per `sb run`. */
  readonly step?: (what: string) => void;
}

/**
 * Every `sb run` option that creates a namespace, as `sb run --help` lists them (picked
 * up as they appear). Read in this process from sb's own commander program: another
 * Node start-up costs tens of seconds in a loaded TCG guest.
 */
/** What the suite uses of a commander Command (sb's CLI library). */
interface Command {
  readonly commands: readonly Command[];
  name(): string;
  configureOutput(o: { writeOut: (t: string) => void; writeErr: (t: string) => void }): unknown;
  outputHelp(): void;
}

export async function unshareOptions(): Promise<string[]> {
  const { buildProgram } = (await import(join(dirname(sbEntry()), '..', 'dist', 'program.js'))) as {
    buildProgram: (argv: readonly string[]) => Promise<Command>;
  };
  const run = (await buildProgram(['run', '--help'])).commands.find((c) => c.name() === 'run');
  if (run === undefined) throw new Error("sb has no 'run' command");
  let help = '';
  run.configureOutput({
    writeOut: (t) => {
      help += t;
    },
    writeErr: (t) => {
      help += t;
    },
  });
  run.outputHelp();
  return [...new Set([...help.matchAll(/--unshare-([a-z]+)\b/g)].map((m) => m[1]!))].filter(
    (n) => n !== 'all',
  );
}

function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer((c) => c.end());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (a === null || typeof a === 'string') reject(new Error('no TCP address'));
      else resolve({ server, port: a.port });
    });
  });
}

/** "write=ok\nwrite=EACCES\n..." -> [['write','ok'], ['write','EACCES'], ...] */
function lines(out: string): [string, string][] {
  return out
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]);
}

function describe(r: RunResult): string {
  const how = r.timedOut ? 'timed out' : r.signal !== null ? `killed by ${r.signal}` : `exit ${r.code}`;
  const err = errorLine(r.stderr);
  return `sb run ${how}${err ? `: ${err}` : ''}`;
}

/** Violations in sb's JSON log (--log), one per line. */
function violations(log: string): { category: string; subject: string }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { category: string; subject: string });
}

/** /proc/PID/stat's state letter, or null when the process is gone. */
function procState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

const alive = (pid: number) => {
  const s = procState(pid);
  return s !== null && s !== 'Z' && s !== 'X';
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let runs = 0;

/**
 * One `sb run` per backend (each costs a Node start-up, tens of seconds under a loaded
 * TCG): write, fork, thread, an i386 write through int 0x80, exec and connect, each allowed
 * and denied; then the
 * program lingers with a child, sb gets SIGKILL, and both must end (PTRACE_O_EXITKILL,
 * or PR_SET_PDEATHSIG per tracee before 3.8), never run on unsupervised.
 */
async function mainChecks(backend: string, o: EnforceOptions, out: FeatureMap): Promise<void> {
  const dir = join(o.work, `main-${backend.replace(/\W/g, '_')}-${++runs}`);
  for (const d of ['allowed', 'denied']) mkdirSync(join(dir, d), { recursive: true });
  const ok = await listen();
  const no = await listen();
  try {
    const log = join(dir, 'violations.jsonl');
    const probe = realpathSync(o.probe);
    const denyExec = realpathSync(o.denyExec);
    const a = (f: string) => join(dir, 'allowed', f);
    const d = (f: string) => join(dir, 'denied', f);
    let sbPid = 0;
    let lingering = false;
    const run = runSb(
      [
        'run',
        '--backend',
        backend,
        '-q',
        '--log',
        log,
        // Magic commands stay off for the program (the unotify backend needs that).
        '-m',
        'core/trace/magic_lock:on',
        '-m',
        'core/sandbox/write:deny',
        '-m',
        `allowlist/write+${join(dir, 'allowed')}/***`,
        '-m',
        'core/sandbox/exec:deny',
        '-m',
        `allowlist/exec+${probe}`,
        '-m',
        'core/sandbox/network/connect:deny',
        '-m',
        `allowlist/network/connect+inet:127.0.0.1@${ok.port}`,
        '--',
        probe,
        ...['write', a('w'), 'write', d('w')],
        ...['fork-write', a('f'), 'fork-write', d('f')],
        ...['thread-write', a('t'), 'thread-write', d('t')],
        // The i386 ABI from a 64-bit process: the filter's i386 rules and the i386 register decoding.
        ...['int80-write', a('i'), 'int80-write', d('i')],
        ...['spawn', probe, 'spawn', denyExec],
        ...['connect', String(ok.port), 'connect', String(no.port)],
        // The pid file is in the allowed directory.
        ...['linger', a('pids')],
      ],
      {
        timeoutMs: o.timeoutMs,
        cwd: dir,
        started: (pid) => {
          sbPid = pid;
        },
        line: (l) => {
          if (l === 'linger=ok') lingering = true;
        },
      },
    );
    let finished: RunResult | null = null;
    void run.then((r) => {
      finished = r;
    });
    const expectDenials = 6;
    const deadline = Date.now() + o.timeoutMs;
    while (finished === null && Date.now() < deadline && !(lingering && existsSync(a('pids'))))
      await sleep(100);
    // sb's denials reach its log asynchronously: a little grace (a missing one fails its check).
    const grace = Date.now() + 3000;
    while (finished === null && lingering && violations(log).length < expectDenials && Date.now() < grace)
      await sleep(100);
    let death: string;
    if (finished === null && lingering) {
      const pids = readFileSync(a('pids'), 'utf8').trim().split(' ').map(Number);
      if (pids.length !== 2 || !pids.every(alive))
        death = `the program's processes were not running: ${pids}`;
      else {
        process.kill(sbPid, 'SIGKILL');
        const r = await run;
        const until = Date.now() + 20_000;
        while (pids.some(alive) && Date.now() < until) await sleep(100);
        const survivors = pids.filter(alive);
        for (const p of survivors) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // Gone in between.
          }
        }
        death =
          r.signal !== 'SIGKILL'
            ? `sb did not die of SIGKILL (${describe(r)})`
            : survivors.length === 0
              ? 'dies'
              : `survived sb: ${survivors.map((p) => `pid ${p} (${procState(p)})`).join(', ')}`;
      }
    } else {
      if (finished === null && sbPid !== 0) process.kill(sbPid, 'SIGKILL');
      const r = await run;
      death =
        r.code === 2 && r.stdout === '' && r.stderr.trim() !== ''
          ? 'refused'
          : `the program never lingered (${describe(r)})`;
    }
    const r = await run;
    const got = lines(r.stdout);
    const logged = violations(log);
    // Landlock denies without telling sb: whether denials reach the log is reported, not judged.
    let reported = 0;
    const verdict = (action: string, errno: string, category: string, subject: string): string => {
      const results = got.filter(([k]) => k === action).map(([, v]) => v);
      // sb said it cannot enforce this policy with this backend, and ran nothing.
      if (r.code === 2 && r.stdout === '' && !r.timedOut && r.stderr.trim() !== '') return 'refused';
      if (results.length !== 2)
        return `no result (${describe(r)}; stdout ${JSON.stringify(r.stdout.slice(0, 200))})`;
      const [control, denied] = results as [string, string];
      // int 0x80 on a kernel without IA32 emulation: the kernel kills both tries with SIGSEGV
      // (sb's filter would kill with SIGSYS), so nothing about sb can be told here.
      if (action === 'int80-write' && control === 'SIGSEGV' && denied === 'SIGSEGV') return 'no-ia32';
      if (control !== 'ok') return `control failed: the allowed ${action} gave ${control}`;
      if (denied === 'ok') return 'allowed';
      if (denied !== errno) return `failed with ${denied}, not ${errno}`;
      if (logged.some((v) => v.category === category && v.subject === subject)) reported++;
      return 'denied';
    };
    out[`enforce.${backend}.write`] = verdict('write', 'EACCES', 'write', d('w'));
    out[`enforce.${backend}.fork`] = verdict('fork-write', 'EACCES', 'write', d('f'));
    out[`enforce.${backend}.thread`] = verdict('thread-write', 'EACCES', 'write', d('t'));
    out[`enforce.${backend}.int80`] = verdict('int80-write', 'EACCES', 'write', d('i'));
    out[`enforce.${backend}.exec`] = verdict('spawn', 'EACCES', 'exec', denyExec);
    out[`enforce.${backend}.connect`] = verdict(
      'connect',
      'ECONNREFUSED',
      'net/connect',
      `inet:127.0.0.1@${no.port}`,
    );
    out[`enforce.${backend}.supervisorDeath`] = death;
    out[`enforce.${backend}.reported`] = `${reported}/${expectDenials} denials in sb's log`;
    if (r.code === 2 && r.stdout === '') out[`enforce.${backend}.refusal`] = errorLine(r.stderr);
  } finally {
    ok.server.close();
    no.server.close();
  }
}

/**
 * `sb run --unshare-A --unshare-B ...`: the program's /proc/self/ns/<each> must differ
 * from the suite's (and with net, only lo); or, for one option alone, sb refuses
 * clearly, running nothing, where the kernel (or the user) cannot create it.
 */
async function namespaceCheck(
  backend: string,
  names: readonly string[],
  o: EnforceOptions,
): Promise<Record<string, string>> {
  const files = names.map(nsFile);
  const outside = new Map<string, string>();
  for (const f of files) {
    try {
      outside.set(f, readlinkSync(`/proc/self/ns/${f}`));
    } catch {
      outside.set(f, '(none)');
    }
  }
  const r = await runSb(
    [
      'run',
      '--backend',
      backend,
      '-q',
      ...names.map((n) => `--unshare-${n}`),
      '--',
      o.probe,
      ...files.flatMap((f) => ['ns', f]),
      ...(names.includes('net') ? ['netdevs'] : []),
    ],
    { timeoutMs: o.timeoutMs, cwd: o.work },
  );
  const got = new Map(lines(r.stdout));
  const out: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const file = files[i]!;
    const inside = got.get(`ns.${file}`);
    if (inside === undefined) {
      const refused = r.code !== 0 && !r.timedOut && r.signal === null && r.stdout.trim() === '';
      out[name] =
        refused && r.stderr.trim() !== '' && names.length === 1 ? 'refused' : `no result (${describe(r)})`;
    } else if (r.code !== 0) out[name] = `ran, then ${describe(r)}`;
    else if (inside === outside.get(file)) out[name] = `shared: ${inside}`;
    else if (name === 'net' && got.get('netdevs') !== 'lo')
      out[name] = `isolated, but interfaces ${got.get('netdevs')}`;
    else out[name] = 'isolated';
  }
  return out;
}

/**
 * The whole enforcement suite for every usable backend; a check that throws is
 * reported as such. Namespace options that sb's features say this user can have run
 * together in one `sb run`; each of the others alone, where sb must refuse it; both
 * with the first usable backend only (the launcher makes namespaces, not the backend).
 */
export async function enforcement(f: SbFeatures, o: EnforceOptions): Promise<FeatureMap> {
  const out: FeatureMap = {};
  const backends = f.backend.candidates.filter((c) => c.usable).map((c) => c.name);
  out['enforce.backends'] = backends.join(',') || null;
  const unshare = await unshareOptions();
  out['enforce.unshareOptions'] = unshare.join(',') || null;
  const can = (n: string) => f.namespaces[n]?.available === true;
  const together = unshare.filter(can);
  const alone = unshare.filter((n) => !can(n));
  for (const b of backends) {
    const guard = async (keys: readonly string[], fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (e) {
        for (const k of keys) out[k] = `error: ${(e as Error).message.split('\n')[0]}`;
      }
    };
    const checks = ['write', 'fork', 'thread', 'int80', 'exec', 'connect', 'supervisorDeath'];
    o.step?.(`${b}: write, fork, thread, int 0x80, exec, connect, supervisor death`);
    await guard(
      checks.map((c) => `enforce.${b}.${c}`),
      () => mainChecks(b, o, out),
    );
    // Namespaces are made by the launcher before any backend starts: checked with the first.
    if (b !== backends[0]) continue;
    for (const group of [...(together.length > 0 ? [together] : []), ...alone.map((n) => [n])]) {
      o.step?.(`${b}: ${group.map((n) => `--unshare-${n}`).join(' ')}`);
      const keys = group.map((n) => `enforce.${b}.unshare-${n}`);
      await guard(keys, async () => {
        const r = await namespaceCheck(b, group, o);
        // One failing option sinks the run: then each alone, to name it.
        const failed = group.length > 1 && group.every((n) => r[n]!.startsWith('no result'));
        for (const n of group) {
          if (failed) o.step?.(`${b}: --unshare-${n} alone (together they failed)`);
          out[`enforce.${b}.unshare-${n}`] = failed ? (await namespaceCheck(b, [n], o))[n]! : r[n]!;
        }
      });
    }
  }
  return out;
}

/** A fresh work directory for the running user, below `base`. */
export function workDir(base: string): string {
  return mkdtempSync(join(base, 'sb-enforce-'));
}
