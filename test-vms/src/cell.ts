/**
 * Judging one cell: the console log of its boot against the expected features.
 */
import type { BootResult } from './boot.js';
import { NOT_EMULATED } from './emulation-data.js';
import { type Difference, type Expected, judgeResult } from './expected.js';
import type { Cell, CellKind } from './kernels.js';
import { parseConsole } from './markers.js';
import { type FeatureMap, type GuestResult, USERS, type UserLabel } from './types.js';

export interface UserOutcome {
  readonly exit: number | null;
  readonly features: FeatureMap | null;
  readonly differences: readonly Difference[];
  readonly errors: readonly string[];
}

export interface CellOutcome {
  readonly name: string;
  readonly version: string;
  readonly kind: CellKind;
  /** For emulated cells: the real kernel that ran it. */
  readonly host?: string;
  readonly pass: boolean;
  /** Why the cell failed, one line each (empty when it passed). */
  readonly problems: readonly string[];
  readonly boot: { readonly status: string; readonly seconds: number; readonly log: string };
  readonly users: Readonly<Record<UserLabel, UserOutcome>>;
  /** Features not compared in this cell (emulated cells: what a filter cannot make old). */
  readonly notCompared: readonly string[];
}

export function judgeCell(cell: Cell, expected: Expected, boot: BootResult, logPath: string): CellOutcome {
  const problems: string[] = [];
  if (boot.status !== 'exited') problems.push(`boot: ${boot.reason ?? boot.status}`);
  const parsed = parseConsole(boot.console);
  for (const e of parsed.errors) problems.push(`console: ${e}`);
  if (boot.status === 'exited' && !parsed.done) problems.push('console: /init did not reach its end');
  const notCompared = cell.kind === 'emulated' ? NOT_EMULATED.map((n) => n.feature) : [];
  const skip = new Set(notCompared);
  const users = {} as Record<UserLabel, UserOutcome>;
  for (const user of USERS) {
    const exit = parsed.exits.get(user) ?? null;
    const result = parsed.results.get(user) as GuestResult | undefined;
    if (exit !== null && exit !== 0) problems.push(`${user}: the suite exited with status ${exit}`);
    if (result === undefined) {
      problems.push(`${user}: no result on the console`);
      users[user] = { exit, features: null, differences: [], errors: [] };
      continue;
    }
    const { differences, problems: found } = judgeResult(expected[user], result, user, skip);
    problems.push(...found);
    users[user] = { exit, features: result.features, differences, errors: result.errors };
  }
  return {
    name: cell.name,
    version: cell.version,
    kind: cell.kind,
    ...(cell.host !== undefined ? { host: cell.host.name } : {}),
    pass: problems.length === 0,
    problems,
    boot: { status: boot.status, seconds: Math.round(boot.ms / 100) / 10, log: logPath },
    users,
    notCompared,
  };
}
