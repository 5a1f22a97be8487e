/**
 * The supervisor's per-syscall decision, run on the tracer thread (a
 * @sb/ptrace handler module: `createHandler(data)`). It reads the trapped call's
 * arguments through TraceeMemory, asks @sb/policy's evaluator, turns the answer
 * into a verdict and posts violation reports to the owner. Every error path
 * denies or kills: nothing is allowed by accident.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import {
  AT_FDCWD,
  type CompiledPolicy,
  compilePolicy,
  type Decision,
  type PathResolver,
  type Policy,
  type TraceeMemory as PolicyMemory,
  type SockAddr,
  type SyscallVerdict,
} from '@sb/policy/engine';
import type { SyscallExit, SyscallStop, TraceHandler, Tracer, Verdict } from '@sb/ptrace';
import { errnoNumber, errnos, groups, syscalls } from '@sb/syscalls';
import { hostAbis } from './arches.js';
import { bindCall, boundAddress, socketKind } from './netbind.js';
import type { Violation, ViolationRule } from './report.js';

export interface HandlerData {
  readonly policy: Policy;
  /**
   * The decisions are made elsewhere (@sb/unotify's supervisor continues execve in the
   * kernel): at each exec event check the program that really runs (/proc/PID/exe) against
   * the exec rules and kill it before its first instruction when it is not allowed.
   */
  readonly verifyExec?: boolean;
  /** Learning mode: every checked access is posted as an 'access' event. */
  readonly learn?: boolean;
}

/** Messages the handler posts besides the engine's own (they arrive as Sandbox events). */
export type HandlerEvent =
  | { readonly type: 'event'; readonly event: 'violation'; readonly data: Violation }
  | { readonly type: 'event'; readonly event: 'killall'; readonly data: Violation }
  | {
      readonly type: 'event';
      readonly event: 'access';
      readonly data: { category: string; subject: string };
    };

const ENAMETOOLONG = 36;
const EPERM = 1;

/** On the tracer thread, events go to its owner as messages. */
function postToOwner(m: HandlerEvent): void {
  parentPort?.postMessage(m);
}

function tgid(tid: number): number {
  try {
    const m = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${tid}/status`, 'latin1'));
    return m ? Number(m[1]) : tid;
  } catch {
    return tid;
  }
}

function cwdOf(tid: number): string | null {
  try {
    return readlinkSync(`/proc/${tid}/cwd`);
  } catch {
    return null;
  }
}

function memoryOf(tracer: Tracer, tid: number): PolicyMemory {
  return {
    readString(addr, max) {
      try {
        return tracer.memory.readCString(tid, addr, max + 1);
      } catch (e) {
        if ((e as { errno?: number }).errno !== ENAMETOOLONG) return 'EFAULT';
        try {
          // Too long: the first `max` bytes, so the resolver answers ENAMETOOLONG.
          return tracer.memory.read(tid, addr, max);
        } catch {
          return 'EFAULT';
        }
      }
    },
    read(addr, length) {
      try {
        return tracer.memory.read(tid, addr, length);
      } catch {
        return 'EFAULT';
      }
    },
  };
}

function ruleOf(d: Decision | null): ViolationRule | null {
  const r = d?.rule;
  if (!r) return null;
  return {
    action: r.action,
    category: r.category,
    pattern: r.pattern,
    ...(r.source ? { file: r.source.file, line: r.source.line } : {}),
    ...(r.source?.column !== undefined ? { column: r.source.column } : {}),
  };
}

/** What a caller other than the tracer thread (the unotify supervisor) substitutes. */
export interface HandlerHooks {
  /** Path resolution (the unotify handler records what was resolved to open exactly that). */
  readonly resolver?: PathResolver;
  /** Whether a pid belongs to this sandbox (default: the traced processes this handler saw). */
  readonly isSandboxPid?: (pid: number) => boolean;
  /** Where reports go (default: this thread's owner, as messages). */
  readonly post?: (m: HandlerEvent) => void;
}

/**
 * Loads the tables createHandler needs (syscalls of every host ABI, errnos, groups)
 * on a prestarted tracer thread while it waits for its program (see prestart.ts).
 */
export function warm(): void {
  for (const abi of hostAbis()) {
    syscalls(abi);
    errnos(abi);
  }
  groups();
}

export function createHandler(data: HandlerData, hooks: HandlerHooks = {}): TraceHandler {
  const live = new Set<number>();
  const resumed = new Set<number>();
  const pendingResume = new Set<number>();
  const pendingBind = new Map<number, { fd: number; addr: SockAddr }>();
  const seen = new Set<string>();
  const post = hooks.post ?? postToOwner;
  const compile = (): CompiledPolicy =>
    compilePolicy(data.policy, {
      arches: hostAbis(),
      context: { isSandboxPid: hooks.isSandboxPid ?? ((pid) => live.has(pid)), socketKind },
      ...(hooks.resolver ? { resolver: hooks.resolver } : {}),
    });
  // When the decisions are made elsewhere (verifyExec: the unotify supervisor), this tracer
  // needs the compiled policy only at an exec event or an engine trap, and compiling it
  // (some 10 ms on a fresh thread) would hold up the launch: it is compiled on first use.
  // Magic commands are off there (unotifyPolicyGap), so no magic state waits for it.
  let compiledOnce: CompiledPolicy | null = data.verifyExec ? null : compile();
  const compiled = (): CompiledPolicy => {
    compiledOnce ??= compile();
    return compiledOnce;
  };
  const policy = (): Policy => compiledOnce?.magic?.policy ?? data.policy;

  const report = (
    stop: SyscallStop,
    syscall: string,
    decision: Violation['decision'],
    d: Decision | null,
    extra: Partial<Violation> = {},
  ): Violation => {
    const v: Violation = {
      time: new Date().toISOString(),
      pid: tgid(stop.tid),
      tid: stop.tid,
      cwd: cwdOf(stop.tid),
      abi: stop.abi,
      syscall,
      category: d?.category ?? null,
      subject: d?.subject ?? '',
      decision,
      errno: d?.errno ?? null,
      reason: d?.reason ?? 'failure',
      rule: ruleOf(d),
      ...(d && d.reason === 'default' ? { mode: policy().sandbox[d.category] } : {}),
      ...extra,
    };
    post({ type: 'event', event: 'violation', data: v });
    return v;
  };

  /** An internal failure: kill the caller (sydbox's panic decision; never allow). */
  const panic = (stop: SyscallStop, tracer: Tracer, message: string): Verdict => {
    const decision = policy().options.panicDecision;
    const v = report(stop, `nr ${stop.nr}`, decision === 'killall' ? 'killall' : 'kill', null, {
      reason: 'internal-error',
      message,
    });
    if (decision === 'killall') {
      post({ type: 'event', event: 'killall', data: v });
      tracer.killAll();
    }
    return { action: 'kill' };
  };

  const errnoOf = (abi: string, name: string | null): number =>
    (name ? errnoNumber(abi, name) : undefined) ?? errnoNumber(abi, 'EPERM') ?? EPERM;

  const learn = (v: SyscallVerdict): void => {
    for (const c of v.checks) {
      if (c.reason === 'failure' || c.subject === '') continue;
      const k = `${c.category}\0${c.subject}`;
      if (seen.has(k)) continue;
      seen.add(k);
      post({ type: 'event', event: 'access', data: { category: c.category, subject: c.subject } });
    }
  };

  const noteBind = (stop: SyscallStop, abi: string, name: string): boolean => {
    if (!policy().options.allow.successfulBind) return false;
    // bind(2), or i386's socketcall(SYS_BIND): the same allowance once it returns 0.
    const mem = memoryOf(tracerRef!, stop.tid);
    const call = bindCall(abi, name, stop.args, (a, n) => mem.read(a, n));
    if (call === null) return false;
    const fd = call.fd;
    let addr = call.addr;
    if (addr.family === 'unix') {
      const r = compiled().evaluator.resolver.resolve({
        pid: stop.tid,
        tid: stop.tid,
        dirfd: AT_FDCWD,
        path: addr.path,
        followLast: false,
        lastMayBeMissing: true,
      });
      if (!r.ok) return false;
      addr = { family: 'unix', path: r.path };
    }
    pendingBind.set(stop.tid, { fd, addr });
    return true;
  };

  let tracerRef: Tracer | null = null;

  const decide = (stop: SyscallStop, tracer: Tracer): Verdict => {
    tracerRef = tracer;
    // SECCOMP_RET_DATA decides nothing: the program may stack its own filter returning
    // RET_TRACE with any data (for equal actions the newest filter's data wins). Every
    // stop is evaluated by its syscall number; clone/clone3 (the engine's traps, whose
    // rules the tracer applies) have no plan and come back allowed.
    if (resumed.has(stop.tid)) return { action: 'allow' };
    const abi = stop.abi;
    if (abi === null) {
      report(stop, `nr ${stop.nr}`, 'deny', null, { reason: 'unknown-abi', errno: 'ENOSYS' });
      return { action: 'deny', errno: 38 };
    }
    const v = compiled().evaluator.evaluate(
      { arch: abi, syscall: stop.nr, args: stop.args, pid: stop.tid, tid: stop.tid },
      memoryOf(tracer, stop.tid),
    );
    if (data.learn) learn(v);
    switch (v.decision) {
      case 'magic':
        if (v.magic?.errno === null || v.magic?.errno === undefined) return { action: 'return', value: 0n };
        return { action: 'deny', errno: errnoOf(abi, v.magic.errno) };
      case 'allow': {
        if (v.report) report(stop, v.syscall, 'allow', v.decisive);
        if (v.resume) pendingResume.add(stop.tid);
        return noteBind(stop, abi, v.syscall) ? { action: 'allow', exit: true } : { action: 'allow' };
      }
      case 'deny':
        if (v.report) report(stop, v.syscall, 'deny', v.decisive);
        return { action: 'deny', errno: errnoOf(abi, v.errno) };
      case 'kill':
        report(stop, v.syscall, 'kill', v.decisive);
        return { action: 'kill' };
      case 'killall': {
        const r = report(stop, v.syscall, 'killall', v.decisive);
        post({ type: 'event', event: 'killall', data: r });
        tracer.killAll();
        return { action: 'kill' };
      }
    }
    return panic(stop, tracer, `unknown decision ${String((v as { decision: unknown }).decision)}`);
  };

  /**
   * Whether an exec can be decided other than allowed: with the exec category off and no
   * kill/resume_if_match, the evaluator allows every exec without looking at its path (and
   * the filter lets execve through untraced), so checking each exec event would only cost
   * (about 50 µs an exec, measured on a fork-and-exec loop).
   */
  const execDecides = (): boolean => {
    const p = policy();
    return (
      p.sandbox.exec !== 'off' ||
      p.options.exec.killIfMatch.length > 0 ||
      p.options.exec.resumeIfMatch.length > 0
    );
  };

  /** The exec rules against the program the kernel really loaded (see HandlerData.verifyExec). */
  const verifyExec = (tid: number): void => {
    const abi = hostAbis()[0] as SyscallStop['abi'];
    // The evaluator's own execve decision, on /proc/self/exe of the new program (a magic
    // link the resolver follows and verifies): kill_if_match, resume_if_match and the rules.
    const stop: SyscallStop = { tid, abi, nr: -1, args: [], ip: 0n, data: 0 };
    try {
      const v = compiled().evaluator.evaluate(
        { arch: abi!, syscall: 'execve', args: [1n, 0n, 0n, 0n, 0n, 0n], pid: tid, tid },
        { readString: () => Buffer.from('/proc/self/exe'), read: () => 'EFAULT' },
      );
      if (v.decision === 'allow') return;
      report(stop, 'execve', 'kill', v.decisive, {
        message: 'the program the kernel loaded is not allowed (checked at the exec event)',
      });
    } catch (e) {
      // Not checked is not allowed.
      report(stop, 'execve', 'kill', null, {
        reason: 'internal-error',
        message: `the program the kernel loaded could not be checked: ${(e as Error).message}`,
      });
    }
    try {
      process.kill(tid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };

  return {
    syscall(stop, tracer) {
      try {
        return decide(stop, tracer);
      } catch (e) {
        try {
          return panic(stop, tracer, (e as Error).message);
        } catch {
          return { action: 'kill' };
        }
      }
    },
    syscallExit(exit: SyscallExit) {
      const b = pendingBind.get(exit.tid);
      pendingBind.delete(exit.tid);
      if (b && exit.ret === 0n) {
        const addr = boundAddress(b.addr, exit.tid, b.fd);
        if (addr) compiled().checker.recordSuccessfulBind(addr, socketKind(exit.tid, b.fd));
      }
      return undefined;
    },
    launched(pid) {
      live.add(pid);
    },
    spawn(ev) {
      live.add(ev.tid);
      if (ev.parent !== null) {
        if (resumed.has(ev.parent)) resumed.add(ev.tid);
        compiledOnce?.magic?.onFork(ev.parent, ev.tid);
      }
    },
    exec(ev) {
      if (data.verifyExec && execDecides()) verifyExec(ev.tid);
      live.delete(ev.oldTid);
      live.add(ev.tid);
      if (pendingResume.delete(ev.oldTid) || pendingResume.delete(ev.tid)) resumed.add(ev.tid);
      compiledOnce?.magic?.onExec(ev.tid);
    },
    exit(ev) {
      live.delete(ev.tid);
      resumed.delete(ev.tid);
      pendingResume.delete(ev.tid);
      pendingBind.delete(ev.tid);
      compiledOnce?.magic?.onExit(ev.tid);
    },
  };
}
