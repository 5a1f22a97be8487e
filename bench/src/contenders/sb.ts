/**
 * sb's own contenders: `sb run --backend B` for each backend. They are declared
 * whether or not this checkout's `sb` has them: availability is asked of the CLI
 * (`sb run --help`, then a `/bin/true` probe per backend), never assumed.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { probeTrue, runQuiet, tail } from './probe.js';
import type { Contender, DetectEnv } from './types.js';

export const SB_BACKENDS = [
  { backend: 'ptrace', supervised: true, about: 'ptrace + seccomp-bpf SECCOMP_RET_TRACE (sydbox-style)' },
  { backend: 'unotify', supervised: true, about: 'seccomp user notification (SECCOMP_RET_USER_NOTIF)' },
  {
    backend: 'landlock',
    supervised: false,
    about: 'Landlock alone; seccomp traps only what Landlock cannot check (chmod, bind/connect addresses)',
  },
  {
    backend: 'ptrace+landlock',
    supervised: true,
    about: 'ptrace + seccomp-bpf with Landlock beneath (defence in depth)',
  },
  {
    backend: 'unotify+landlock',
    supervised: true,
    about: 'seccomp user notification with Landlock beneath (what `auto` picks for the default profile)',
  },
  {
    backend: 'namespaces',
    supervised: false,
    about:
      "namespaces and a private root with bwrap's options (the bwrap row's), no path or network policy: only the engine's clone tracking",
  },
] as const;

export function sbScript(repoRoot: string): string {
  return join(repoRoot, 'apps', 'sb', 'bin', 'sb.js');
}

/** Cached per repoRoot: one `sb run --help` answers for every backend. */
const runHelp = new Map<string, Promise<{ ok: true } | { ok: false; reason: string }>>();

function checkRunCommand(env: DetectEnv): Promise<{ ok: true } | { ok: false; reason: string }> {
  let p = runHelp.get(env.repoRoot);
  if (p === undefined) {
    p = (async () => {
      const script = sbScript(env.repoRoot);
      if (!existsSync(script))
        return { ok: false, reason: `sb run has not landed: ${script} does not exist` };
      if (!existsSync(join(env.repoRoot, 'apps', 'sb', 'dist', 'main.js')))
        return { ok: false, reason: 'apps/sb is not built (run `pnpm build`)' };
      const r = await runQuiet([process.execPath, script, 'run', '--help'], { env: env.env });
      if (r.code === 0) return { ok: true };
      return {
        ok: false,
        reason: `sb run has not landed (\`sb run --help\` exited ${r.code ?? r.error}${r.stderr.trim() ? `: ${tail(r.stderr, 1)}` : ''})`,
      };
    })();
    runHelp.set(env.repoRoot, p);
  }
  return p;
}

function sbContender(spec: (typeof SB_BACKENDS)[number]): Contender {
  const c: Contender = {
    id: `sb-${spec.backend}`,
    label: `sb ${spec.backend}`,
    kind: 'sb',
    supervised: spec.supervised,
    about: spec.about,
    commandLine:
      spec.backend === 'namespaces'
        ? "node apps/sb/bin/sb.js run --ro-bind / / --dev /dev --proc /proc --tmpfs /tmp --bind WORK WORK --unshare-all --share-net --chdir WORK --backend ptrace -m 'core/sandbox/write:off' -m 'core/sandbox/network:off' -- CMD"
        : `node apps/sb/bin/sb.js run --backend ${spec.backend} -p default -m 'allowlist/write+WORK/***' -- CMD`,
    async detect(env) {
      const run = await checkRunCommand(env);
      if (!run.ok) return { status: 'not-available', reason: run.reason };
      const script = sbScript(env.repoRoot);
      const probe = await probeTrue(c, script, env);
      if (!probe.ok)
        return { status: 'not-available', reason: `\`sb run --backend ${spec.backend}\`: ${probe.reason}` };
      return { status: 'available', binary: script };
    },
    wrap: (cmd, ctx, script) => ({
      argv: [
        process.execPath,
        script,
        'run',
        ...(spec.backend === 'namespaces'
          ? [
              // The same mounts and namespaces as the bwrap row, for a like-for-like start-up.
              ...['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp'],
              ...['--bind', ctx.workdir, ctx.workdir, '--unshare-all', '--share-net', '--chdir', ctx.workdir],
              ...['--backend', 'ptrace', '-m', 'core/sandbox/write:off', '-m', 'core/sandbox/network:off'],
            ]
          : ['--backend', spec.backend, '-p', 'default', '-m', `allowlist/write+${ctx.workdir}/***`]),
        '--',
        ...cmd,
      ],
    }),
  };
  return c;
}

export const SB_CONTENDERS: readonly Contender[] = SB_BACKENDS.map(sbContender);
