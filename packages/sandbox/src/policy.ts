/**
 * Assembling the policy of a run from profiles, policy files and sydbox-1 magic
 * commands, in the order given (like sydbox's -c/-m), plus the default profile
 * used when nothing is given.
 */

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  definePolicy,
  formatOf,
  loadPolicy,
  MagicCommandError,
  mergePolicies,
  type Policy,
  PolicyLoadError,
  parseMagicCommand,
  parseSydbox,
  profile,
  profileNames,
  type Rule,
} from '@sb/policy';

/** One piece of policy, applied in order: later pieces override modes and options, later rules win. */
export type PolicySource =
  | { readonly profile: string; readonly variables?: Readonly<Record<string, string>> }
  | { readonly file: string; readonly variables?: Readonly<Record<string, string>> }
  | { readonly magic: string }
  | { readonly policy: Policy };

/** Thrown for a policy that cannot be assembled; the message names the source. */
export class SandboxPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxPolicyError';
  }
}

export const DEFAULT_PROFILE = 'default';

export const DEFAULT_PROFILE_DESCRIPTION =
  'reads, stat and exec allowed; writes only below the working directory, /tmp, /var/tmp, /dev/shm and to terminals and device sinks (/dev/null, /dev/tty, /dev/pts/*...); bind and connect only on loopback and unix sockets; the magic path (/dev/sb/...) is locked';

const SINKS = [
  '/dev/stdout',
  '/dev/stderr',
  '/dev/null',
  '/dev/zero',
  '/dev/full',
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

/**
 * sb's default profile: what `sb run -- CMD` uses with no policy given. Built on
 * @sb/policy's `loopback-only` profile plus write rules for `cwd`.
 */
export function defaultProfile(cwd: string = process.cwd()): Policy {
  const src = { file: '<profile default>', line: 0 };
  const dir = resolve(cwd).replace(/\/+$/, '');
  const writes = [
    ...SINKS,
    '/dev/shm/***',
    '/tmp/***',
    '/var/tmp/***',
    ...(dir === '' ? [] : [`${dir}/***`]),
  ];
  const rules: Rule[] = writes.map((pattern) => ({
    action: 'allow',
    category: 'write',
    pattern,
    source: src,
  }));
  const base = profile('loopback-only');
  if (!base) throw new SandboxPolicyError('the built-in loopback-only profile is missing from @sb/policy');
  return mergePolicies(
    base,
    definePolicy({
      sandbox: { write: 'deny', 'net/bind': 'deny', 'net/connect': 'deny' },
      rules,
      // netlink (getaddrinfo, getifaddrs) is not IP networking: keep it usable. The magic path
      // is locked: a sandboxed program must not be able to turn the sandbox off.
      options: { allow: { unsupportedSocketFamilies: true }, magicLock: 'on' },
    }),
  );
}

/** Profile names `buildPolicy` accepts: @sb/policy's and `default`. */
export function allProfileNames(): string[] {
  return [DEFAULT_PROFILE, ...profileNames()];
}

function profilePolicy(name: string, vars: Readonly<Record<string, string>>, cwd: string): Policy {
  if (name === DEFAULT_PROFILE) return defaultProfile(cwd);
  const p = profile(name, vars);
  if (!p) {
    throw new SandboxPolicyError(`unknown profile '${name}' (known: ${allProfileNames().join(', ')})`);
  }
  return p;
}

export interface BuildResult {
  readonly policy: Policy;
  /** Ignored sydbox keys and the like, each naming where. */
  readonly warnings: readonly string[];
}

/**
 * Applies the sources in order. An empty list gives the default profile.
 * `.syd-1` files and magic commands modify the policy so far (as in sydbox);
 * YAML/JSON files and profiles are merged on top of it.
 */
export function buildPolicy(sources: readonly PolicySource[], cwd: string = process.cwd()): BuildResult {
  if (sources.length === 0) return { policy: defaultProfile(cwd), warnings: [] };
  let policy: Policy | null = null;
  const warnings: string[] = [];
  let magicIndex = 0;
  const current = (): Policy => policy ?? definePolicy();
  for (const s of sources) {
    try {
      if ('policy' in s) policy = policy ? mergePolicies(policy, s.policy) : s.policy;
      else if ('profile' in s) {
        const p = profilePolicy(s.profile, s.variables ?? {}, cwd);
        policy = policy ? mergePolicies(policy, p) : p;
      } else if ('file' in s) {
        if (formatOf(s.file) === 'sydbox') {
          let text: string;
          try {
            text = readFileSync(s.file, 'utf8');
          } catch (e) {
            throw new SandboxPolicyError(`${s.file}: cannot read the policy file: ${(e as Error).message}`);
          }
          const r = parseSydbox(text, s.file, current());
          policy = r.policy;
          warnings.push(...r.warnings);
        } else {
          const p = loadPolicy(s.file, s.variables ? { variables: s.variables } : {});
          policy = policy ? mergePolicies(policy, p) : p;
        }
      } else {
        magicIndex++;
        const where = { file: `-m #${magicIndex}`, line: 1 };
        const cmd = parseMagicCommand(s.magic, where);
        if (cmd.op === '?')
          throw new SandboxPolicyError(`-m '${s.magic}': queries (KEY?) are only for the magic stat`);
        const r = parseSydbox(s.magic, where.file, current());
        policy = r.policy;
        warnings.push(...r.warnings);
      }
    } catch (e) {
      if (e instanceof SandboxPolicyError) throw e;
      if (e instanceof MagicCommandError || e instanceof PolicyLoadError)
        throw new SandboxPolicyError(e.message);
      const where = 'file' in s ? '' : 'magic' in s ? `-m '${s.magic}': ` : '';
      throw new SandboxPolicyError(`${where}${(e as Error).message}`);
    }
  }
  return { policy: current(), warnings };
}
