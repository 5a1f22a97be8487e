/**
 * Built-in profiles. Each takes variables (build directories, home...) and
 * gives a policy; a policy file can start from one with `extends: [name]`.
 */

import { userInfo } from 'node:os';
import {
  type Category,
  definePolicy,
  type Policy,
  type PolicyInput,
  type Rule,
  type SandboxMode,
} from './model.js';

export interface ProfileInfo {
  readonly name: string;
  readonly description: string;
  /** Variables the profile reads, with what they mean and their default. */
  readonly variables: Readonly<Record<string, string>>;
  build(vars?: Readonly<Record<string, string>>): Policy;
}

const allow = (category: Category, ...patterns: string[]): Rule[] =>
  patterns.map((pattern) => ({ action: 'allow', category, pattern }));

/** The device files every program writes to. */
const DEVICE_SINKS = [
  '/dev/stdout',
  '/dev/stderr',
  '/dev/null',
  '/dev/zero',
  '/dev/full',
  '/dev/console',
  '/dev/random',
  '/dev/urandom',
  '/dev/ptmx',
  '/dev/tty',
  '/dev/tty*',
  '/dev/pts/***',
  '/dev/fd/***',
  '/proc/self/fd/***',
  '/proc/self/task/***',
  '/proc/self/attr/***',
];

function list(v: string | undefined): string[] {
  return (v ?? '').split(':').filter((x) => x !== '');
}

/** Rules of a profile name it as their source (`<profile paludis>`), for reports. */
function withSource(p: PolicyInput, profile: string): PolicyInput {
  return {
    ...p,
    rules: (p.rules ?? []).map((r) => ({ ...r, source: { file: `<profile ${profile}>`, line: 0 } })),
  };
}

const NET_OFF: Partial<Record<Category, SandboxMode>> = {};

export const PROFILES: Readonly<Record<string, ProfileInfo>> = {
  paludis: {
    name: 'paludis',
    description:
      'package builds in the spirit of sydbox-1 paludis.syd-1: writes only to the build directories, /tmp, /var/tmp, /var/cache and device sinks; binds only on loopback; connects only to loopback and the name service sockets',
    variables: {
      BUILD_DIRS:
        'colon-separated build directories writable by the build (default: none beyond /tmp and /var/tmp)',
    },
    build(vars = {}) {
      return definePolicy(
        withSource(
          {
            sandbox: { write: 'deny', 'net/bind': 'deny', 'net/connect': 'deny' },
            rules: [
              ...allow(
                'write',
                ...DEVICE_SINKS,
                '/dev/shm/***',
                '/selinux/context/***',
                '/tmp/***',
                '/var/tmp/***',
                '/var/cache/***',
              ),
              ...allow('write', ...list(vars.BUILD_DIRS).map((d) => `${d.replace(/\/+$/, '')}/***`)),
              ...allow(
                'net/bind',
                'LOOPBACK@0',
                'LOOPBACK@1024-65535',
                'LOOPBACK6@0',
                'LOOPBACK6@1024-65535',
              ),
              ...allow(
                'net/connect',
                'unix:/var/run/nscd/socket',
                'unix:/run/nscd/socket',
                'unix:/var/lib/sss/pipes/nss',
                // getaddrinfo() with AI_ADDRCONFIG on musl probes with a UDP connect to port 65535.
                'LOOPBACK@65535',
                'LOOPBACK6@65535',
              ),
            ],
            options: {
              allow: { perProcessDirectories: true, successfulBind: true, unsupportedSocketFamilies: true },
              match: { noWildcard: 'prefix' },
            },
          },
          'paludis',
        ),
      );
    },
  },
  user: {
    name: 'user',
    description:
      'a desktop user: writes only to $HOME, /tmp, /var/tmp, /run/user/$UID, /dev/shm and device sinks; reads, exec and network unrestricted',
    variables: {
      HOME: "the home directory (default: the current user's)",
      UID: 'the user id for /run/user/$UID (default: the current uid)',
    },
    build(vars = {}) {
      const info = userInfo();
      const home = (vars.HOME ?? info.homedir).replace(/\/+$/, '');
      const uid = vars.UID ?? String(info.uid);
      return definePolicy(
        withSource(
          {
            sandbox: { write: 'deny' },
            rules: allow(
              'write',
              ...DEVICE_SINKS,
              '/dev/shm/***',
              '/tmp/***',
              '/var/tmp/***',
              `/run/user/${uid}/***`,
              `${home}/***`,
            ),
          },
          'user',
        ),
      );
    },
  },
  readonly: {
    name: 'readonly',
    description: 'no writes to the file system at all, except to terminals and device sinks (/dev/null...)',
    variables: {},
    build() {
      return definePolicy(
        withSource({ sandbox: { write: 'deny' }, rules: allow('write', ...DEVICE_SINKS) }, 'readonly'),
      );
    },
  },
  'no-network': {
    name: 'no-network',
    description:
      'no IP networking: bind and connect are denied for inet and inet6 (and other families such as netlink and packet); unix sockets stay allowed',
    variables: {},
    build() {
      return definePolicy(
        withSource(
          {
            sandbox: { ...NET_OFF, 'net/bind': 'deny', 'net/connect': 'deny' },
            rules: [
              ...allow('net/bind', 'unix:/***', 'unix-abstract:***'),
              ...allow('net/connect', 'unix:/***', 'unix-abstract:***'),
            ],
            options: { allow: { unsupportedSocketFamilies: false, successfulBind: false } },
          },
          'no-network',
        ),
      );
    },
  },
  'loopback-only': {
    name: 'loopback-only',
    description: 'networking only on the loopback interface (127.0.0.0/8, ::1) and unix sockets',
    variables: {},
    build() {
      return definePolicy(
        withSource(
          {
            sandbox: { 'net/bind': 'deny', 'net/connect': 'deny' },
            rules: [
              ...allow('net/bind', 'unix:/***', 'unix-abstract:***', 'LOOPBACK@0-65535', 'LOOPBACK6@0-65535'),
              ...allow(
                'net/connect',
                'unix:/***',
                'unix-abstract:***',
                'LOOPBACK@0-65535',
                'LOOPBACK6@0-65535',
              ),
            ],
            options: { allow: { unsupportedSocketFamilies: false } },
          },
          'loopback-only',
        ),
      );
    },
  },
};

export function profileNames(): string[] {
  return Object.keys(PROFILES);
}

/** A built-in profile's policy, or undefined for an unknown name. */
export function profile(name: string, vars: Readonly<Record<string, string>> = {}): Policy | undefined {
  return PROFILES[name]?.build(vars);
}
