#!/usr/bin/env node
// Installs the Debian packages the test suite needs, so that the README's test
// command works on a fresh machine. As root it installs what is missing with
// apt-get; as an ordinary user it names what is missing and the command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Each entry: the Debian package and a file whose presence shows it is installed.
 * Packages add their needs here (one line each, with the reason).
 */
export const SYSTEM_PACKAGES = [
  // scmp_sys_resolver: @sb/syscalls cross-checks its tables against libseccomp's.
  { pkg: 'seccomp', file: '/usr/bin/scmp_sys_resolver' },
  // The machine's own kernel headers: @sb/syscalls checks x86_64/i386/x32 numbers against them.
  { pkg: 'linux-libc-dev', file: '/usr/include/x86_64-linux-gnu/asm/unistd_64.h' },
  // C test fixtures (attackers and workloads).
  { pkg: 'gcc', file: '/usr/bin/gcc' },
  { pkg: 'libc6-dev', file: '/usr/include/stdio.h' },
  // @sb/bpf's benchmark builds the same policies with libseccomp (bench/libseccomp-export.c).
  { pkg: 'libseccomp-dev', file: '/usr/include/seccomp.h' },
  // @sb/test-vms: the guest's shell and tools; its unit tests unpack the cpio writer's output with it.
  { pkg: 'busybox-static', file: '/bin/busybox' },
  // @sb/bench: its unit tests prepare and run the build workload (make -j2 of a generated C project).
  { pkg: 'make', file: '/usr/bin/make' },
  // @sb/ns: runs inside `bwrap --disable-userns` to see the message for refused user namespaces.
  { pkg: 'bubblewrap', file: '/usr/bin/bwrap' },
  // @sb/test-vms: the kernel matrix, the last part of the test command, boots its kernels with it.
  { pkg: 'qemu-system-x86', file: '/usr/bin/qemu-system-x86_64' },
  // apps/sb: `sb completion zsh` and `sb completion fish` are loaded into the real shells.
  { pkg: 'zsh', file: '/usr/bin/zsh' },
  { pkg: 'fish', file: '/usr/bin/fish' },
];

function missingPackages() {
  return SYSTEM_PACKAGES.filter((p) => !existsSync(p.file));
}

function main() {
  if (process.platform !== 'linux') {
    console.error('sb: the test suite needs Linux (it loads seccomp filters and traces processes).');
    process.exit(1);
  }
  const missing = missingPackages();
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((p) => p.pkg))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `sb: the test suite needs these Debian packages, which are not installed: ${names.join(', ')}\n` +
        `    install them as root:  apt-get update && apt-get install -y ${names.join(' ')}`,
    );
    process.exit(1);
  }
  console.error(`sb: installing Debian packages for the test suite: ${names.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const opts = { stdio: ['ignore', 'ignore', 'inherit'], env };
  execFileSync('apt-get', ['update', '-qq'], opts);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], opts);
  if (r.status !== 0) {
    console.error(`sb: apt-get install ${names.join(' ')} failed (exit ${r.status})`);
    process.exit(1);
  }
  const still = missingPackages();
  if (still.length > 0) {
    console.error(
      `sb: after installing, still missing: ${still.map((p) => `${p.file} (${p.pkg})`).join(', ')}`,
    );
    process.exit(1);
  }
}

main();
