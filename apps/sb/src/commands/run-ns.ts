/**
 * `sb run`'s bubblewrap-named options (namespaces, a private root, environment,
 * session, status fds): parsed in command-line order from the arguments commander
 * leaves unknown, turned into SandboxOptions, and their errors into one clear line.
 */
import { readlinkSync, writeSync } from 'node:fs';
import {
  ARG_HELP,
  ArgsError,
  applyEnv,
  NAMESPACE_NAMES,
  NamespaceOptionsError,
  NamespaceUnavailableError,
  type ParsedArgs,
  parseBwrapArgs,
  userNamespacePolicy,
} from '@sb/ns';
import type { SandboxOptions } from '@sb/sandbox';
import { UsageError } from '../errors.js';

export const NS_HELP = `
Namespaces and a private root (bubblewrap's option names; they come before the
program and apply in the order given):
${ARG_HELP.map(([name, help]) => {
  const [args, text] = help.includes(': ') ? help.split(': ', 2) : ['', help];
  return `  ${`${name} ${args}`.trim().padEnd(30)} ${text}`;
}).join('\n')}
Unprivileged, a user namespace is added whenever any namespace or --bind-like
option is given. By default the program runs in a new session (setsid), so it
cannot push input into this terminal (TIOCSTI); --no-new-session keeps it.

  sb run --unshare-all --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib \\
         --symlink usr/lib64 /lib64 --proc /proc --dev /dev --tmpfs /tmp -- sh`;

/** The namespace options and the program from `sb run`'s operands. */
export function parseSandboxArgs(operands: readonly string[]): ParsedArgs {
  try {
    return parseBwrapArgs(operands);
  } catch (e) {
    if (e instanceof ArgsError) throw new UsageError(`run: ${e.message}`);
    throw e;
  }
}

/** The SandboxOptions the parsed options ask for. */
export function sandboxOptions(p: ParsedArgs | null): Partial<SandboxOptions> {
  if (p === null) return { newSession: true };
  return {
    ...(p.namespaces ? { namespaces: p.namespaces } : {}),
    ...(p.env.length > 0 ? { env: applyEnv(process.env, p.env) } : {}),
    ...(p.chdir !== undefined ? { cwd: p.chdir } : {}),
    newSession: p.newSession ?? true,
  };
}

/** A namespace problem as a usage error (bad options: 2; refused by the kernel: 1), or null. */
export function namespaceUsageError(e: unknown): UsageError | null {
  if (e instanceof NamespaceOptionsError) return new UsageError(`run: ${e.message}`);
  if (e instanceof NamespaceUnavailableError) return new UsageError(`run: ${e.message}`, 1);
  return null;
}

/** Why a launch that failed while creating namespaces failed, when the sysctls say. */
export function launchHint(step: string): string {
  if (!step.startsWith('unshare') && !step.includes('uid_map') && !step.includes('gid_map')) return '';
  const policy = userNamespacePolicy();
  return policy.reason ? ` (${policy.reason})` : '';
}

/** bwrap's --json-status-fd / --info-fd: the pid and namespaces, then (json-status) the exit code. */
export function statusFds(p: ParsedArgs | null): { started(pid: number): void; exited(code: number): void } {
  const fds = [p?.jsonStatusFd, p?.infoFd].filter((f): f is number => f !== undefined);
  const write = (fd: number, o: object) => {
    try {
      writeSync(fd, `${JSON.stringify(o)}\n`);
    } catch (e) {
      throw new UsageError(`run: cannot write to fd ${fd}: ${(e as Error).message}`);
    }
  };
  return {
    started(pid) {
      if (fds.length === 0) return;
      const info: Record<string, number> = { 'child-pid': pid };
      for (const n of NAMESPACE_NAMES) {
        const file = n === 'mount' ? 'mnt' : n;
        try {
          // Only the namespaces the sandbox does not share with sb, named as bwrap names them.
          const theirs = readlinkSync(`/proc/${pid}/ns/${file}`);
          const m = /\[(\d+)\]/.exec(theirs);
          if (m && theirs !== readlinkSync(`/proc/self/ns/${file}`)) info[`${file}-namespace`] = Number(m[1]);
        } catch {
          // This kernel has no such namespace type, or the program is gone.
        }
      }
      for (const fd of fds) write(fd, info);
    },
    exited(code) {
      if (p?.jsonStatusFd !== undefined) write(p.jsonStatusFd, { 'exit-code': code });
    },
  };
}
