import { readFileSync } from 'node:fs';
import { expandGroup } from '@sb/syscalls';
import { action } from '../src/compiler/actions.js';
import type { Policy } from '../src/compiler/types.js';
import { MOBY_DEFAULT_CAPS as DOCKER_CAPS } from '../src/oci/caps.js';
import { importOci } from '../src/oci/import.js';

const DOCKER_JSON = readFileSync(
  new URL('../../../../shared/corpus/seccomp/docker-default.json', import.meta.url),
  'utf8',
);

export interface BenchPolicy {
  readonly name: string;
  readonly description: string;
  readonly policy: Policy;
}

function docker(arch: string): Policy {
  return importOci(DOCKER_JSON, { arch, caps: DOCKER_CAPS, kernel: '6.1' }).policy;
}

/** systemd's SystemCallFilter=@system-service with SystemCallErrorNumber=EPERM. */
function systemService(): Policy {
  return {
    arches: ['x86_64', 'i386', 'x32'],
    defaultAction: action.errno(1),
    rules: [{ syscall: '@system-service', action: action.allow }],
  };
}

/**
 * sydbox-style: everything runs, the calls whose arguments the sandbox must inspect (paths,
 * addresses, exec) stop for the tracer, a few are refused outright.
 */
function sydbox(): Policy {
  const traced = new Set([
    ...expandGroup('@file-system'),
    'connect',
    'bind',
    'sendto',
    'sendmsg',
    'accept',
    'accept4',
    'execve',
    'execveat',
  ]);
  return {
    arches: ['x86_64', 'i386'],
    defaultAction: action.allow,
    rules: [
      { syscall: 'ptrace', action: action.errno(1) },
      { syscall: 'process_vm_writev', action: action.errno(1) },
      { syscall: 'kexec_load', action: action.killProcess },
      { syscall: 'socket', action: action.trace(1), args: [{ index: 0, op: '!=', value: 1n }] }, // all but AF_UNIX
      ...[...traced].sort().map((syscall) => ({ syscall, action: action.trace(0) })),
    ],
  };
}

export function benchPolicies(): BenchPolicy[] {
  return [
    {
      name: 'docker-x86_64',
      description: 'Moby default profile, default caps, x86_64 + i386 + x32',
      policy: docker('x86_64'),
    },
    {
      name: 'docker-aarch64',
      description: 'Moby default profile, default caps, aarch64 + arm',
      policy: docker('aarch64'),
    },
    {
      name: 'systemd-service',
      description: 'systemd @system-service allow list, ERRNO(EPERM), x86_64 + i386 + x32',
      policy: systemService(),
    },
    {
      name: 'sydbox-trace',
      description: 'sydbox-style TRACE for path/net/exec calls, x86_64 + i386',
      policy: sydbox(),
    },
  ];
}
