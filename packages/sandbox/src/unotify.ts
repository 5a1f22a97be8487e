/**
 * Running the policy's decisions on @sb/unotify's supervisor instead of the
 * tracer: the filter traps the decision calls with SECCOMP_RET_USER_NOTIF, the
 * launcher installs it with NEW_LISTENER and moves the listener out (setup steps),
 * and a supervisor thread answers on it with notify-handler.ts. The tracer keeps
 * following processes and checks each exec after the fact (HandlerData.verifyExec).
 * Any failure of the supervisor kills the sandbox.
 */

import type { EventEmitter } from 'node:events';
import { readlinkSync } from 'node:fs';
import type { Policy } from '@sb/policy';
import { closeFd, type SetupStep } from '@sb/ptrace';
import {
  canSuperviseOnMainThread,
  LISTENER_FD_NAME,
  listenerSetup,
  PreparedHandler,
  probeUnotify,
  type Supervisor,
  supervise,
} from '@sb/unotify';
import { prestartSupervisor, type SupervisorThread } from '@sb/unotify/thread';
import { BackendError } from './backend.js';
import type { HandlerData } from './handler.js';
import { NOTIFY_HANDLER_URL, takePrestartedSupervisor } from './prestart.js';

export interface UnotifyLaunch {
  /** For SetupProgram.beforeFilter (after Landlock's ruleset). */
  readonly steps: readonly SetupStep[];
  /** Connects the supervisor to a started ptrace Sandbox; events go to `sink`. */
  attach(
    inner: EventEmitter & { kill(): void; readonly fds: Readonly<Record<string, number>> },
    sink: (event: string, data: unknown) => void,
  ): void;
  /** Ends the supervisor's thread when the launch never started (attach was not called). */
  dispose(): void;
}

/** Whether the unotify supervisor can run here, and why (not). */
export function unotifyUsable(): { usable: boolean; why: string } {
  const f = probeUnotify();
  return { usable: f.usable, why: f.why };
}

/**
 * What of this policy the unotify supervisor cannot enforce the way the ptrace backend
 * does, or null. `auto` must not pick unotify for such a policy; asked for explicitly,
 * it is an error. (Differences that only make unotify stricter are not listed: see
 * the README of @sb/unotify.)
 */
export function unotifyPolicyGap(policy: Policy): string | null {
  // Magic-path locks follow fork and exec per process, which only the tracer thread sees.
  if (policy.options.magicLock !== 'on')
    return `the policy's magic lock is '${policy.options.magicLock}'; magic commands need the ptrace backend (lock:on works)`;
  return null;
}

/**
 * Why `auto` keeps the ptrace supervisor for this policy, or null: besides the hard gap,
 * the parts the notification supervisor does not honour (it fails closed on them, so
 * the same policy would deny more than under ptrace).
 */
export function unotifyAutoGap(policy: Policy): string | null {
  const gap = unotifyPolicyGap(policy);
  if (gap !== null) return gap;
  if (policy.options.allow.successfulBind && !everyUnixConnectAllowed(policy))
    return 'the successful-bind allowance (allow/successful_bind) for unix sockets is only kept by the ptrace backend';
  if (policy.options.exec.resumeIfMatch.length > 0)
    return 'exec/resume_if_match is only honoured by the ptrace backend';
  return null;
}

/**
 * Whether the rules alone allow every unix-socket connect, so that a successful unix bind
 * (which unotify continues, never seeing its result) could allow nothing more. Internet
 * binds are made by the supervisor, which records their allowance as ptrace does.
 */
function everyUnixConnectAllowed(policy: Policy): boolean {
  const mode = policy.sandbox['net/connect'];
  if (mode === 'off') return true;
  const rules = policy.rules.filter((r) => r.category === 'net/connect');
  // An internet pattern never matches a unix address; anything else might.
  const internet = (p: string) => /^(inet6?:|(LOOPBACK|LOCAL|ANY)6?(@|$))/.test(p);
  const allowing = (a: string) => a === 'allow' || a === 'warn';
  if (rules.some((r) => !allowing(r.action) && !internet(String(r.pattern)))) return false;
  if (mode === 'allow') return true;
  const allowed = new Set(rules.filter((r) => allowing(r.action)).map((r) => String(r.pattern)));
  return allowed.has('unix:/***') && allowed.has('unix-abstract:***');
}

/** Throws BackendError when the kernel or the policy rules the unotify supervisor out. */
export function prepareUnotify(
  policy: Policy,
  filter: Uint8Array,
  handlerData: HandlerData,
  where: 'thread' | 'main-thread',
): UnotifyLaunch {
  // The listener ioctls are asked on the sandbox's own listener by the supervisor, before its
  // first answer (the program's execve): no throw-away probe stub on the way to the launch.
  // A kernel without them fails that check, and the sandbox is killed before the program runs.
  const f = probeUnotify({ listener: false });
  if (!f.usable) throw new BackendError(`--backend unotify cannot run here: ${f.why}`);
  const gap = unotifyPolicyGap(policy);
  if (gap !== null) throw new BackendError(`--backend unotify: ${gap}`);
  const steps: SetupStep[] = listenerSetup(filter, { waitKillable: f.waitKillableRecv });
  const here = where === 'main-thread' && canSuperviseOnMainThread();
  // The thread starts now, if `sb` did not start it already: its start-up (about a quarter
  // of a second) then overlaps the launch instead of holding up the program's execve.
  // On the main thread, the handler's modules load now for the same reason.
  let thread: SupervisorThread | null = here
    ? null
    : (takePrestartedSupervisor() ?? prestartSupervisor(NOTIFY_HANDLER_URL));
  // On the main thread the handler is made now (module, policy), during the launch.
  const prepared = here ? new PreparedHandler(NOTIFY_HANDLER_URL, handlerData) : null;
  const dispose = () => {
    thread?.terminate();
    thread = null;
  };
  return {
    steps,
    dispose,
    attach(inner, sink) {
      let sup: Supervisor | null = null;
      const fail = (why: string) => {
        sink('violation', internalViolation(why));
        inner.kill();
      };
      // Sent while the launch is still running: the program's execve is already a notification.
      // `fd` is our own copy (the launcher closes its number if the launch fails).
      inner.on('fd', (name: string, fd: number) => {
        if (name !== LISTENER_FD_NAME || sup !== null) {
          if (fd >= 0) closeFd(fd);
          return;
        }
        if (fd < 0) {
          fail('no copy of the seccomp listener could be made (out of file descriptors?)');
          return;
        }
        try {
          if (!readlinkSync(`/proc/self/fd/${fd}`).includes('seccomp'))
            throw new Error('not a seccomp listener');
        } catch (e) {
          closeFd(fd);
          fail(`the listener fd ${fd} is unusable: ${(e as Error).message}`);
          return;
        }
        try {
          // Takes the fd over, also when it fails.
          sup = supervise({
            listener: fd,
            handler: prepared ?? NOTIFY_HANDLER_URL,
            handlerData,
            where: here ? 'main-thread' : 'thread',
            ...(thread ? { thread } : {}),
          });
        } catch (e) {
          fail(`the unotify supervisor could not start: ${(e as Error).message}`);
          return;
        } finally {
          thread = null;
        }
        for (const ev of ['violation', 'killall', 'access']) sup.on(ev, (d: unknown) => sink(ev, d));
        sup.on('killall', () => inner.kill());
        sup.done.catch((e: Error) => fail(e.message));
      });
      // Launched: the launcher's copy is ours to close.
      inner.on('spawn', () => {
        const launcherCopy = inner.fds[LISTENER_FD_NAME];
        if (launcherCopy !== undefined) closeFd(launcherCopy);
        if (sup === null) fail('the launch did not hand over the seccomp listener');
      });
      // The sandbox ended: the listener hangs up by itself; stop covers kernels without POLLHUP.
      // A launch that failed before the listener came leaves the thread unused: end it.
      const stop = () => {
        sup?.stop();
        dispose();
      };
      (inner as unknown as { exited: Promise<unknown> }).exited.then(stop, stop);
    },
  };
}

function internalViolation(message: string) {
  return {
    time: new Date().toISOString(),
    pid: process.pid,
    tid: process.pid,
    cwd: null,
    abi: null,
    syscall: 'unotify',
    category: null,
    subject: '',
    decision: 'killall' as const,
    errno: null,
    reason: 'internal-error',
    rule: null,
    message,
  };
}
