/** The sandboxes users would pick instead of sb, each with the command line the benchmark runs. */

import { join } from 'node:path';
import { isExecutable, which } from '../workloads/which.js';
import { probeTrue, runQuiet } from './probe.js';
import type { Availability, Contender, DetectEnv, Invocation, WrapContext } from './types.js';

const INSTALL = 'run bench/scripts/install-peers.sh as root';

interface PeerSpec {
  readonly id: string;
  readonly label: string;
  readonly about: string;
  readonly supervised: boolean;
  readonly commandLine: string;
  /** Executable name on PATH and its Debian package. */
  readonly exe: string;
  readonly debian: string;
  /** How to install it, when not with install-peers.sh. */
  readonly install?: string;
  readonly versionArgs: readonly string[];
  /** Other programs it needs at run time: [name, Debian package]. */
  readonly needs?: readonly (readonly [string, string])[];
  /** Where to look before PATH. */
  readonly locate?: (env: DetectEnv) => string | undefined;
  wrap(cmd: readonly string[], ctx: WrapContext, binary: string): Invocation;
}

/** The first output line that carries a version number (proot prints a banner first). */
export function versionLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .map((l) => (/^[A-Za-z]/.test(l) ? l : (/\d+\.\d+(\.\d+)*/.exec(l)?.[0] ?? '')))
      .find((l) => /\d+\.\d+/.test(l)) ?? ''
  );
}

function peer(spec: PeerSpec): Contender {
  const c: Contender = {
    id: spec.id,
    label: spec.label,
    kind: 'peer',
    supervised: spec.supervised,
    commandLine: spec.commandLine,
    about: spec.about,
    async detect(env: DetectEnv): Promise<Availability> {
      const binary = spec.locate?.(env) ?? which(spec.exe, env.path);
      if (binary === undefined)
        return {
          status: 'missing',
          reason: `\`${spec.exe}\` not found on PATH (${spec.install ?? `Debian package ${spec.debian}; ${INSTALL}`})`,
        };
      const lacking = (spec.needs ?? []).filter(([exe]) => which(exe, env.path) === undefined);
      if (lacking.length > 0)
        return {
          status: 'missing',
          reason: `${spec.exe} needs ${lacking.map(([e, p]) => `\`${e}\` (Debian ${p})`).join(', ')}, not found on PATH (${INSTALL})`,
        };
      const probe = await probeTrue(c, binary, env);
      if (!probe.ok)
        return { status: 'unusable', reason: `\`${spec.exe} ... /bin/true\` failed: ${probe.reason}` };
      const v = await runQuiet([binary, ...spec.versionArgs], { env: env.env });
      const version = versionLine(v.stdout) || versionLine(v.stderr);
      return { status: 'available', binary, ...(version ? { version } : {}) };
    },
    wrap: spec.wrap,
  };
  return c;
}

export const bwrap = peer({
  id: 'bwrap',
  label: 'bwrap',
  about: 'bubblewrap: namespaces and bind mounts, no syscall supervision',
  supervised: false,
  exe: 'bwrap',
  debian: 'bubblewrap',
  versionArgs: ['--version'],
  commandLine:
    'bwrap --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind WORK WORK --unshare-all --share-net --die-with-parent --chdir WORK -- CMD',
  wrap: (cmd, ctx, bin) => ({
    argv: [
      bin,
      ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
      ...['--bind', ctx.workdir, ctx.workdir, '--unshare-all', '--share-net', '--die-with-parent'],
      ...['--chdir', ctx.workdir, '--', ...cmd],
    ],
  }),
});

export const firejail = peer({
  id: 'firejail',
  label: 'firejail',
  about: 'firejail without a profile: namespaces, seccomp filter (no supervisor)',
  supervised: false,
  exe: 'firejail',
  debian: 'firejail',
  versionArgs: ['--version'],
  commandLine: 'firejail --noprofile --quiet -- CMD',
  wrap: (cmd, _ctx, bin) => ({ argv: [bin, '--noprofile', '--quiet', '--', ...cmd] }),
});

export const proot = peer({
  id: 'proot',
  label: 'proot',
  about: 'PRoot: ptrace-based path translation (Debian build: no seccomp acceleration)',
  supervised: true,
  exe: 'proot',
  debian: 'proot',
  versionArgs: ['--version'],
  // proot rejects `--`; the guest root is / by default.
  commandLine: 'proot -b /dev -b /proc -w WORK CMD',
  wrap: (cmd, ctx, bin) => ({ argv: [bin, '-b', '/dev', '-b', '/proc', '-w', ctx.workdir, ...cmd] }),
});

export const strace = peer({
  id: 'strace',
  label: 'strace -f',
  about: 'strace following forks, output discarded: the cost of stopping at every syscall',
  supervised: true,
  exe: 'strace',
  debian: 'strace',
  versionArgs: ['-V'],
  commandLine: 'strace -f -o /dev/null -- CMD',
  wrap: (cmd, _ctx, bin) => ({ argv: [bin, '-f', '-o', '/dev/null', '--', ...cmd] }),
});

export const srt = peer({
  id: 'srt',
  label: 'srt',
  about: '@anthropic-ai/sandbox-runtime: Node.js front end over bwrap, with network proxies (socat)',
  supervised: false,
  exe: 'srt',
  debian: '-',
  install: 'npm @anthropic-ai/sandbox-runtime, a devDependency of @sb/bench: run `pnpm install`',
  versionArgs: ['--version'],
  needs: [
    ['bwrap', 'bubblewrap'],
    ['socat', 'socat'],
    ['rg', 'ripgrep'],
  ],
  locate: (env) => {
    const local = join(env.benchRoot, 'node_modules', '.bin', 'srt');
    return isExecutable(local) ? local : undefined;
  },
  commandLine:
    'TMPDIR=SCRATCH srt --settings SCRATCH/srt-settings.json -- CMD, settings: allowWrite [WORK, /tmp], no network domains',
  wrap: (cmd, ctx, bin) => {
    const settings = join(ctx.scratch, 'srt-settings.json');
    return {
      argv: [bin, '--settings', settings, '--', ...cmd],
      // srt leaves its proxy sockets in $TMPDIR; keep them in the scratch dir.
      env: { TMPDIR: ctx.scratch },
      files: {
        [settings]: `${JSON.stringify({
          filesystem: { denyRead: [], allowWrite: [ctx.workdir, '/tmp'], denyWrite: [] },
          network: { allowedDomains: [], deniedDomains: [] },
        })}\n`,
      },
    };
  },
});

/** sydbox-1: not packaged in Debian 12, so only when SB_BENCH_SYDBOX names a binary. */
export const sydbox: Contender = {
  id: 'sydbox-1',
  label: 'sydbox-1',
  kind: 'peer',
  supervised: true,
  about: "sydbox-1: sb's ancestor, ptrace + seccomp-bpf (binary from SB_BENCH_SYDBOX)",
  commandLine:
    "$SB_BENCH_SYDBOX -m core/sandbox/exec:off -m core/sandbox/read:off -m core/sandbox/network:off -m core/sandbox/write:deny -m 'whitelist/write+WORK/***' -m 'whitelist/write+/tmp/***' -m 'whitelist/write+/dev/null' -- CMD",
  async detect(env) {
    const bin = env.env.SB_BENCH_SYDBOX;
    if (bin === undefined || bin === '')
      return {
        status: 'missing',
        reason:
          'SB_BENCH_SYDBOX is not set (sydbox-1 is not packaged in Debian 12; build it and point the variable at the binary)',
      };
    if (!bin.startsWith('/') || !isExecutable(bin))
      return {
        status: 'missing',
        reason: `SB_BENCH_SYDBOX=${bin} is not an executable file given by absolute path`,
      };
    const probe = await probeTrue(sydbox, bin, env);
    if (!probe.ok) return { status: 'unusable', reason: `\`${bin} ... /bin/true\` failed: ${probe.reason}` };
    const v = await runQuiet([bin, '--version'], { env: env.env });
    const version = versionLine(v.stdout) || versionLine(v.stderr);
    return { status: 'available', binary: bin, ...(version ? { version } : {}) };
  },
  wrap: (cmd, ctx, bin) => ({
    argv: [
      bin,
      ...['-m', 'core/sandbox/exec:off', '-m', 'core/sandbox/read:off', '-m', 'core/sandbox/network:off'],
      ...['-m', 'core/sandbox/write:deny', '-m', `whitelist/write+${ctx.workdir}/***`],
      ...['-m', 'whitelist/write+/tmp/***', '-m', 'whitelist/write+/dev/null', '--', ...cmd],
    ],
  }),
};
