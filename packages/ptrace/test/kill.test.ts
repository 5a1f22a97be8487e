import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { asUser, HARNESS, USERS } from './helpers.js';

function alive(pid: number): boolean {
  try {
    // A zombie is dead for our purpose: it runs nothing.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Asleep in the kernel ('S'): it has run its own code, so it is past its first trace stop. */
function sleeping(pid: number): boolean {
  try {
    return /^\d+ \(.*\) S/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return cond();
}

// SIGKILL of the supervising node process must take the whole traced tree with it:
// through PTRACE_O_EXITKILL, and (forced off) through PR_SET_PDEATHSIG in every tracee.
describe.each(USERS)('supervisor death as %s', (user) => {
  it.each([
    ['PTRACE_O_EXITKILL', {}],
    ['PR_SET_PDEATHSIG in each tracee', { exitKill: false }],
  ])('SIGKILL of the supervisor kills every tracee (%s)', async (_name, features) => {
    // Three generations: sh -> sh -> sleep, plus a direct sleep; each prints its pid.
    const script = 'sleep 100 & echo $!; sh -c "sleep 100 & echo \\$!; echo \\$\\$; wait" & echo $$; wait';
    const [cmd, args] = asUser(user, process.execPath, [
      HARNESS,
      JSON.stringify({ argv: ['sh', '-c', script], features, filter: [61] }),
    ]);
    const sup = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    sup.stdout.on('data', (d) => (out += d));
    const ready = await waitFor(() => out.trim().split('\n').length >= 4, 10_000);
    expect(ready).toBe(true);
    const pids = out.trim().split('\n').map(Number);
    expect(pids.every((p) => p > 0 && alive(p))).toBe(true);
    // A new tracee gets its PR_SET_PDEATHSIG at its first stop; one that has not reached it
    // (not yet scheduled after fork, or stopped there) when the supervisor dies is detached with
    // none (the documented window before 3.8). Every process here ends up asleep (sleep, wait):
    // asleep, it is past that stop. (Only not trace-stopped let a not-yet-run child through.)
    expect(await waitFor(() => pids.every(sleeping), 10_000)).toBe(true);
    // setpriv execs node, so sup.pid is the supervisor itself.
    process.kill(sup.pid!, 'SIGKILL');
    const gone = await waitFor(() => pids.every((p) => !alive(p)), 5_000);
    expect(pids.filter(alive)).toEqual([]);
    expect(gone).toBe(true);
  });
});
