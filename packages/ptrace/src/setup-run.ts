/**
 * The interpreter of setup programs (setup.ts). `prepareSetup` runs before the
 * stub exists: it resolves every syscall name for the native ABI and lays every
 * string and struct out in the launcher's image, so a bad program fails before
 * anything is started. `runSetup` then performs the steps in the stub.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { syscallByName } from '@sb/syscalls';
import type { ArchOps } from './arch/types.js';
import { SIGCHLD } from './constants.js';
import type { Image } from './image.js';
import { closeFd, errno, ioctl, syscall3 } from './native.js';
import type { SetupProgram, SetupStep, SetupValue } from './setup.js';
import type { Stub } from './stub.js';

const EINVAL = 22;
const ENOSYS = 38;

type PreparedValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | {
      readonly kind: 'addr';
      readonly at: number;
      readonly patch: readonly { offset: number; size: 4 | 8; from: string }[];
    }
  | { readonly kind: 'result'; readonly name: string };

export type PreparedStep =
  | {
      readonly kind: 'syscall';
      readonly step: string;
      readonly nr: number;
      readonly args: readonly PreparedValue[];
      readonly save?: string;
      readonly okErrnos: readonly number[];
    }
  | Exclude<SetupStep, { kind: 'syscall' }>;

export interface PreparedSetup {
  readonly early: readonly PreparedStep[];
  readonly beforeFilter: readonly PreparedStep[];
  /** Native numbers the interpreter itself needs. */
  readonly nrs: { readonly clone: number; readonly ppoll: number; readonly rtSigaction: number };
}

/** Thrown for a step that failed; launch.ts turns it into a LaunchError (same step, errno). */
export class SetupStepError extends Error {
  constructor(
    readonly step: string,
    readonly errno: number,
    readonly detail = '',
  ) {
    super(`${step}: ${detail}`);
  }
}

function nativeNumber(abi: string, name: string, step: string): number {
  const sc = syscallByName(abi, name);
  if (sc === undefined) throw new SetupStepError(step, ENOSYS, `${abi} has no system call ${name}`);
  return sc.nr;
}

function prepareValue(img: Image, v: SetupValue, step: string): PreparedValue {
  if (typeof v === 'bigint') return { kind: 'int', value: v };
  if ('str' in v) {
    if (v.str.includes('\0')) throw new SetupStepError(step, EINVAL, 'a string argument contains NUL');
    return { kind: 'addr', at: img.cstring(v.str), patch: [] };
  }
  if ('bytes' in v) {
    for (const p of v.patch ?? []) {
      if (p.offset < 0 || p.offset + p.size > v.bytes.length)
        throw new SetupStepError(step, EINVAL, `patch at ${p.offset} is outside ${v.bytes.length} bytes`);
    }
    return { kind: 'addr', at: img.add(v.bytes), patch: v.patch ?? [] };
  }
  if ('result' in v) return { kind: 'result', name: v.result };
  if ('fprog' in v) {
    const len = v.fprog.length;
    if (len === 0 || len % 8 !== 0 || len / 8 > 4096)
      throw new SetupStepError(step, EINVAL, `${len} bytes is not 1..4096 sock_filter entries`);
    const filterAt = img.add(v.fprog);
    const head = new DataView(new ArrayBuffer(16));
    head.setUint16(0, len / 8, true);
    const at = img.add(new Uint8Array(head.buffer));
    img.fixup(at + 8, filterAt);
    return { kind: 'addr', at, patch: [] };
  }
  throw new SetupStepError(step, EINVAL, 'unknown argument kind');
}

function prepareSteps(
  img: Image,
  steps: readonly SetupStep[],
  abi: string,
  known: Set<string>,
): PreparedStep[] {
  const out: PreparedStep[] = [];
  for (const s of steps) {
    const needs = (name: string, step: string) => {
      if (!known.has(name))
        throw new SetupStepError(step, EINVAL, `uses result '${name}' before any step saves it`);
    };
    switch (s.kind) {
      case 'syscall': {
        if (s.args.length > 6) throw new SetupStepError(s.step, EINVAL, 'more than 6 arguments');
        const args = s.args.map((a) => prepareValue(img, a, s.step));
        for (const a of args) {
          if (a.kind === 'result') needs(a.name, s.step);
          if (a.kind === 'addr') for (const p of a.patch) needs(p.from, s.step);
        }
        if (s.save !== undefined) known.add(s.save);
        out.push({
          kind: 'syscall',
          step: s.step,
          nr: nativeNumber(abi, s.name, s.step),
          args,
          ...(s.save !== undefined ? { save: s.save } : {}),
          okErrnos: s.okErrnos ?? [],
        });
        break;
      }
      case 'skip-unless-ok':
        needs(s.result, `skip-unless-ok ${s.result}`);
        if (!Number.isInteger(s.count) || s.count < 0)
          throw new SetupStepError(`skip-unless-ok ${s.result}`, EINVAL, `bad count ${s.count}`);
        out.push(s);
        break;
      case 'take-fd':
        needs(s.result, s.step);
        out.push(s);
        break;
      case 'write-proc':
        if (!/^[a-z_]+$/.test(s.file)) throw new SetupStepError(s.step, EINVAL, `bad /proc file ${s.file}`);
        out.push(s);
        break;
      case 'run-host':
        if (s.argv.length === 0) throw new SetupStepError(s.step, EINVAL, 'empty argv');
        out.push(s);
        break;
      case 'fork':
        out.push(s);
        break;
      default:
        throw new SetupStepError('setup', EINVAL, `unknown step kind ${(s as { kind: string }).kind}`);
    }
  }
  return out;
}

export function prepareSetup(img: Image, program: SetupProgram, ops: ArchOps): PreparedSetup {
  const known = new Set<string>();
  const abi = ops.nativeAbi;
  const early = prepareSteps(img, program.early ?? [], abi, known);
  const beforeFilter = prepareSteps(img, program.beforeFilter ?? [], abi, known);
  return {
    early,
    beforeFilter,
    nrs: {
      clone: nativeNumber(abi, 'clone', 'fork'),
      ppoll: nativeNumber(abi, 'ppoll', 'fork'),
      rtSigaction: nativeNumber(abi, 'rt_sigaction', 'fork'),
    },
  };
}

/** What runSetup needs from the launcher; `stub` changes when a fork step moves setup to the child. */
export interface SetupContext {
  stub: Stub;
  readonly img: Image;
  readonly results: Map<string, bigint>;
  /** fds copied into this process by take-fd steps, by name. */
  readonly fds: Map<string, number>;
  /** The pid of the reaper a fork step left behind, if any. */
  reaper: number | null;
  /** Injects one call into the current stub; throws (with the step) on failure. */
  inject(step: string, nr: number, args: readonly bigint[], okErrnos?: readonly number[]): bigint;
  /** Injects clone(SIGCHLD) and returns the child's pid as this process sees it (from the fork event). */
  injectFork(step: string, nr: number): number;
  /** Image offsets of a kernel_sigaction with SIG_IGN and one with SIG_DFL. */
  readonly sigIgnAt: number;
  readonly sigDflAt: number;
  /** Writes bytes into the current stub's memory. */
  poke(addr: bigint, bytes: Uint8Array): void;
  /** Continues setup in the fork's child; returns the new stub. */
  adopt(child: number): Stub;
  readonly pidfdGetfd: { readonly open: number; readonly getfd: number } | null;
  /** Told of each fd as soon as it is taken (a listener must be served before the execve it traps). */
  readonly onFd?: (name: string, fd: number) => void;
}

function argValue(ctx: SetupContext, v: PreparedValue): bigint {
  if (v.kind === 'int') return v.value;
  if (v.kind === 'result') return ctx.results.get(v.name)!;
  const addr = ctx.img.address(v.at);
  for (const p of v.patch) {
    const b = new DataView(new ArrayBuffer(p.size));
    const r = ctx.results.get(p.from)!;
    if (p.size === 4) b.setInt32(0, Number(BigInt.asIntN(32, r)), true);
    else b.setBigInt64(0, r, true);
    ctx.poke(addr + BigInt(p.offset), new Uint8Array(b.buffer));
  }
  return addr;
}

export function runSetup(ctx: SetupContext, steps: readonly PreparedStep[], prepared: PreparedSetup): void {
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    switch (s.kind) {
      case 'syscall': {
        const r = ctx.inject(
          s.step,
          s.nr,
          s.args.map((a) => argValue(ctx, a)),
          s.okErrnos,
        );
        if (s.save !== undefined) ctx.results.set(s.save, r);
        break;
      }
      case 'skip-unless-ok':
        if (ctx.results.get(s.result)! < 0n) i += s.count;
        break;
      case 'write-proc':
        try {
          // One write(2): the kernel takes a map only in a single write.
          writeFileSync(`/proc/${ctx.stub.pid}/${s.file}`, s.content);
        } catch (e) {
          const err = e as NodeJS.ErrnoException;
          throw new SetupStepError(s.step, -(err.errno ?? -EINVAL), err.code ?? err.message);
        }
        break;
      case 'run-host': {
        const argv = s.argv.map((a) => a.replaceAll('{pid}', String(ctx.stub.pid)));
        const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        if (r.error !== undefined || r.status !== 0) {
          const why = r.error?.message ?? (r.stderr.trim() || `exit status ${r.status ?? r.signal}`);
          throw new SetupStepError(s.step, 0, `${argv.join(' ')}: ${why}`);
        }
        break;
      }
      case 'take-fd': {
        if (ctx.pidfdGetfd === null)
          throw new SetupStepError(s.step, ENOSYS, 'pidfd_getfd is missing (needs Linux 5.6)');
        const remote = Number(ctx.results.get(s.result)!);
        const pidfd = syscall3(ctx.pidfdGetfd.open, ctx.stub.pid, 0);
        if (pidfd < 0) throw new SetupStepError(s.step, errno(), 'pidfd_open');
        const fd = syscall3(ctx.pidfdGetfd.getfd, pidfd, remote, 0);
        const e = errno();
        closeFd(pidfd);
        if (fd < 0) throw new SetupStepError(s.step, e, 'pidfd_getfd');
        for (const c of s.verify ?? []) {
          const r = ioctl(fd, c.request, new Uint8Array(c.arg));
          const ce = r < 0 ? errno() : 0;
          if (r < 0 && !c.okErrnos.includes(ce)) {
            closeFd(fd);
            throw new SetupStepError(s.step, ce, c.why);
          }
        }
        ctx.fds.set(s.as, fd);
        // A move, not a copy: the program must never hold it.
        ctx.inject(`${s.step}: close in the stub`, ctx.stub.ops.inject.close, [BigInt(remote)]);
        ctx.onFd?.(s.as, fd);
        break;
      }
      case 'fork': {
        if (s.parent === 'reaper') {
          // Orphans re-parented to a SIGCHLD-ignoring parent are reaped by the kernel.
          const act = ctx.img.address(ctx.sigIgnAt);
          ctx.inject(`${s.step}: ignore SIGCHLD`, prepared.nrs.rtSigaction, [BigInt(SIGCHLD), act, 0n, 8n]);
        }
        const parent = ctx.stub;
        const stub = ctx.adopt(ctx.injectFork(s.step, prepared.nrs.clone));
        if (s.parent === 'reaper') {
          // Back to the default in the child: the program expects SIGCHLD's default.
          ctx.stub = stub;
          ctx.inject(`${s.step}: default SIGCHLD`, prepared.nrs.rtSigaction, [
            BigInt(SIGCHLD),
            ctx.img.address(ctx.sigDflAt),
            0n,
            8n,
          ]);
          parent.park(prepared.nrs.ppoll);
          ctx.reaper = parent.pid;
        } else {
          parent.destroy();
          ctx.stub = stub;
        }
        break;
      }
    }
  }
}
