/**
 * The Debian tools the harness needs. As root, missing ones are installed with
 * apt-get (as scripts/setup-system.mjs does for the test suite); otherwise the
 * harness names them and the command to run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const HARNESS_PACKAGES: readonly { pkg: string; file: string; why: string }[] = [
  { pkg: 'qemu-system-x86', file: '/usr/bin/qemu-system-x86_64', why: 'boots the kernels' },
  { pkg: 'busybox-static', file: '/bin/busybox', why: "the guest's /init and tools" },
  { pkg: 'gcc', file: '/usr/bin/gcc', why: 'builds the static fixtures' },
  { pkg: 'libc6-dev', file: '/usr/lib/x86_64-linux-gnu/libc.a', why: 'static linking of the fixtures' },
];

export function ensurePrerequisites(log: (s: string) => void): void {
  const missing = HARNESS_PACKAGES.filter((p) => !existsSync(p.file));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  if (process.getuid?.() !== 0) {
    throw new Error(
      `test-vms needs these Debian packages: ${missing.map((p) => `${p.pkg} (${p.why})`).join(', ')}\n` +
        `    install them as root:  apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`,
    );
  }
  log(`installing ${names.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env,
  });
  if (r.status !== 0) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
    const again = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env,
    });
    if (again.status !== 0)
      throw new Error(`apt-get install ${names.join(' ')} failed (exit ${again.status})`);
  }
}
