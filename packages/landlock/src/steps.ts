/**
 * A ruleset as launcher setup steps (@sb/ptrace's SetupStep, run in `beforeFilter`,
 * after no_new_privs): the program's own process builds and enforces the ruleset
 * right before its execve, so nothing of the program runs unrestricted.
 */
import { endianness } from 'node:os';
import type { SetupStep, SetupValue } from '@sb/ptrace';
import { LANDLOCK_RULE_NET_PORT, LANDLOCK_RULE_PATH_BENEATH } from './abi.js';
import type { LandlockRuleset } from './translate.js';

/** The kinds of @sb/ptrace's setup steps a ruleset needs (types only: no runtime dependency on the tracer). */
export type LandlockStep = Extract<SetupStep, { kind: 'syscall' | 'skip-unless-ok' }>;
export type { SetupValue };

export const AT_FDCWD = -100n;
/** x86, arm, riscv, ... (the generic values; the architectures with others are not sb hosts). */
export const O_PATH = 0o10000000;
export const O_CLOEXEC = 0o2000000;
export const O_DIRECTORY = 0o200000;

/** errnos of an open that make a grant moot: the path is not there (or not a directory) for the program either. */
export const SKIPPABLE_OPEN_ERRNOS: readonly number[] = [
  2, // ENOENT
  20, // ENOTDIR
  13, // EACCES: not reachable by the program's credentials
  40, // ELOOP
];

const EBADFD = 77;
const LE = endianness() === 'LE';

/** struct landlock_ruleset_attr, as long as the ABI knows it (8, 16 or 24 bytes). */
export function rulesetAttr(r: LandlockRuleset): Uint8Array {
  const size = r.abi >= 6 ? 24 : r.abi >= 4 ? 16 : 8;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, r.handledFs, LE);
  if (size >= 16) v.setBigUint64(8, r.handledNet, LE);
  if (size >= 24) v.setBigUint64(16, r.scoped, LE);
  return b;
}

/** struct landlock_path_beneath_attr (packed, 12 bytes): allowed_access, then parent_fd (patched in). */
export function pathBeneathAttr(access: bigint, fd = -1): Uint8Array {
  const b = new Uint8Array(12);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, access, LE);
  v.setInt32(8, fd, LE);
  return b;
}

/** struct landlock_net_port_attr (16 bytes). */
export function netPortAttr(access: bigint, port: number): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, access, LE);
  v.setBigUint64(8, BigInt(port), LE);
  return b;
}

export interface StepOptions {
  /** Prefix of the names under which results are saved (default 'landlock'). */
  readonly prefix?: string;
  /** landlock_restrict_self flags (default 0). */
  readonly restrictFlags?: number;
}

/** The setup steps that install `ruleset`; empty when it restricts nothing. */
export function rulesetSteps(ruleset: LandlockRuleset, options: StepOptions = {}): LandlockStep[] {
  if (ruleset.handledFs === 0n && ruleset.handledNet === 0n && ruleset.scoped === 0n) return [];
  const p = options.prefix ?? 'landlock';
  const rs = `${p}.ruleset`;
  const attr = rulesetAttr(ruleset);
  const steps: LandlockStep[] = [
    {
      kind: 'syscall',
      step: `${p}: create ruleset (ABI ${ruleset.abi})`,
      name: 'landlock_create_ruleset',
      args: [{ bytes: attr }, BigInt(attr.length), 0n],
      save: rs,
    },
  ];
  ruleset.paths.forEach((g, i) => {
    const fd = `${p}.fd.${i}`;
    const flags = O_PATH | O_CLOEXEC | (g.kind === 'tree' ? O_DIRECTORY : 0);
    steps.push(
      {
        kind: 'syscall',
        step: `${p}: open ${g.path}`,
        name: 'openat',
        args: [AT_FDCWD, { str: g.path }, BigInt(flags)],
        save: fd,
        okErrnos: SKIPPABLE_OPEN_ERRNOS,
      },
      // A rule on a path that is not there cannot grant anything: leave it out.
      { kind: 'skip-unless-ok', result: fd, count: 2 },
      {
        kind: 'syscall',
        step: `${p}: allow ${g.path}`,
        name: 'landlock_add_rule',
        // EBADFD: the path led to a pipe, socket or other internal file system (e.g. /dev/stdout
        // on a pipe), which Landlock never restricts and cannot name: nothing to grant.
        okErrnos: [EBADFD],
        args: [
          { result: rs },
          BigInt(LANDLOCK_RULE_PATH_BENEATH),
          { bytes: pathBeneathAttr(g.access), patch: [{ offset: 8, size: 4, from: fd }] },
          0n,
        ],
      },
      { kind: 'syscall', step: `${p}: close ${g.path}`, name: 'close', args: [{ result: fd }] },
    );
  });
  for (const port of ruleset.ports) {
    steps.push({
      kind: 'syscall',
      step: `${p}: allow TCP port ${port.port}`,
      name: 'landlock_add_rule',
      args: [
        { result: rs },
        BigInt(LANDLOCK_RULE_NET_PORT),
        { bytes: netPortAttr(port.access, port.port) },
        0n,
      ],
    });
  }
  steps.push(
    {
      kind: 'syscall',
      step: `${p}: restrict self`,
      name: 'landlock_restrict_self',
      args: [{ result: rs }, BigInt(options.restrictFlags ?? 0)],
    },
    { kind: 'syscall', step: `${p}: close ruleset`, name: 'close', args: [{ result: rs }] },
  );
  return steps;
}
