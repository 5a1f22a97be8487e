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
  decodeSockaddr,
  type Policy,
  type TraceeMemory as PolicyMemory,
  type SockAddr,
  type SyscallVerdict,
} from '@sb/policy';
import type { SyscallExit, SyscallStop, TraceHandler, Tracer, Verdict } from '@sb/ptrace';
import { errnoNumber, getArch } from '@sb/syscalls';
import { hostAbis } from './arches.js';
import { ENGINE_TRACE_ID } from './filter.js';
import { boundAddress } from './netbind.js';
import type { Violation, ViolationRule } from './report.js';

export interface HandlerData {
  readonly policy: Policy;
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

function post(m: HandlerEvent): void {
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

export function createHandler(data: HandlerData): TraceHandler {
  const live = new Set<number>();
  const resumed = new Set<number>();
  const pendingResume = new Set<number>();
  const pendingBind = new Map<number, { fd: number; addr: SockAddr }>();
  const seen = new Set<string>();
  const compiled: CompiledPolicy = compilePolicy(data.policy, {
    arches: hostAbis(),
    context: { isSandboxPid: (pid) => live.has(pid) },
  });
  const policy = (): Policy => compiled.magic?.policy ?? data.policy;

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
    if (name !== 'bind' || !policy().options.allow.successfulBind) return false;
    const [fd, ptr, len] = stop.args;
    const n = Number((len ?? 0n) & 0xffffffffn);
    if (ptr === undefined || n <= 0 || n > 128) return false;
    const raw = memoryOf(tracerRef!, stop.tid).read(ptr, n);
    if (raw === 'EFAULT') return false;
    const d = decodeSockaddr(raw, n, getArch(abi).endian);
    if (!d.ok) return false;
    let addr = d.addr;
    if (addr.family === 'unix') {
      const r = compiled.evaluator.resolver.resolve({
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
    pendingBind.set(stop.tid, { fd: Number((fd ?? 0n) & 0xffffffffn) | 0, addr });
    return true;
  };

  let tracerRef: Tracer | null = null;

  const decide = (stop: SyscallStop, tracer: Tracer): Verdict => {
    tracerRef = tracer;
    // clone/clone3 trapped for the engine (ours: 0; @sb/ptrace's own filter: 0xffff): its rules apply.
    if (stop.data === ENGINE_TRACE_ID || stop.data === 0xffff) return { action: 'allow' };
    if (resumed.has(stop.tid)) return { action: 'allow' };
    const abi = stop.abi;
    if (abi === null) {
      report(stop, `nr ${stop.nr}`, 'deny', null, { reason: 'unknown-abi', errno: 'ENOSYS' });
      return { action: 'deny', errno: 38 };
    }
    const v = compiled.evaluator.evaluate(
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
        if (addr) compiled.checker.recordSuccessfulBind(addr);
      }
      return undefined;
    },
    spawn(ev) {
      live.add(ev.tid);
      if (ev.parent !== null) {
        if (resumed.has(ev.parent)) resumed.add(ev.tid);
        compiled.magic?.onFork(ev.parent, ev.tid);
      }
    },
    exec(ev) {
      live.delete(ev.oldTid);
      live.add(ev.tid);
      if (pendingResume.delete(ev.oldTid) || pendingResume.delete(ev.tid)) resumed.add(ev.tid);
      compiled.magic?.onExec(ev.tid);
    },
    exit(ev) {
      live.delete(ev.tid);
      resumed.delete(ev.tid);
      pendingResume.delete(ev.tid);
      pendingBind.delete(ev.tid);
      compiled.magic?.onExit(ev.tid);
    },
  };
}
