/**
 * Pid reuse, forced: the caller of a notification is killed while the supervisor is
 * inside its handler, and its pid is given to a new process (ns_last_pid) before the
 * handler reads "the caller's" memory and answers. The answer must be dropped
 * (SECCOMP_IOCTL_NOTIF_ID_VALID), never applied to the new process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtures, runNotified } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (cond()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A `sleep` process with exactly `pid`, through ns_last_pid (retried: other processes fork too). */
async function processWithPid(pid: number): Promise<ChildProcess> {
  for (let attempt = 0; attempt < 500; attempt++) {
    writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
    const child = spawn('sleep', ['60'], { stdio: 'ignore' });
    if (child.pid === pid) return child;
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
  throw new Error(`pid ${pid} could not be reused in 500 tries`);
}

// ns_last_pid needs CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE) in the pid namespace.
describe.runIf(process.getuid?.() === 0 && existsSync('/proc/sys/kernel/ns_last_pid'))('pid reuse', () => {
  it('a decision about a dead caller never reaches the process that took its pid', async () => {
    const gate = new SharedArrayBuffer(8);
    const g = new Int32Array(gate);
    const run = runNotified([fixtures().opener!, 'read', '/etc/hostname'], {
      handlerData: { pauseOn: 'openat', gate },
    });
    await until('the handler to pause', () => Atomics.load(g, 0) === 1);
    const pid = Atomics.load(g, 1);
    process.kill(pid, 'SIGKILL');
    // Reaped by this process (it is our child): then the pid is free.
    await until(`pid ${pid} to be reaped`, () => !existsSync(`/proc/${pid}`));
    const heir = await processWithPid(pid);
    try {
      Atomics.store(g, 0, 2);
      Atomics.notify(g, 0);
      const r = await run;
      expect(r.signal).toBe('SIGKILL');
      // The 'kill' answer was dropped as stale, not sent to the pid.
      expect(r.stats.stale).toBe(1);
      expect(r.stats.killed).toBe(0);
      // The heir still runs, as itself.
      expect(heir.exitCode).toBeNull();
      expect(heir.signalCode).toBeNull();
      expect(() => process.kill(pid, 0)).not.toThrow();
    } finally {
      heir.kill('SIGKILL');
    }
  }, 120_000);
});
