/**
 * Expected features per kernel version, derived from expected/history.json (the
 * kernel's history), and the comparison of a guest's report with them.
 */
import { readFileSync } from 'node:fs';
import { compareKernelVersions } from '@sb/syscalls';
import type { FeatureMap, FeatureValue, UserLabel } from './types.js';

export interface Timeline {
  readonly before: FeatureValue;
  readonly steps: readonly (readonly [string, FeatureValue])[];
}
export interface HistoryEntry extends Timeline {
  readonly user?: Timeline;
  readonly source: string;
}
export interface History {
  readonly features: Readonly<Record<string, HistoryEntry>>;
}

/** An expected file: expected/<kernel>.json. */
export interface Expected {
  readonly kernel: string;
  readonly root: FeatureMap;
  readonly user: FeatureMap;
}

export function loadHistory(path: string): History {
  const h = JSON.parse(readFileSync(path, 'utf8')) as History;
  for (const [name, e] of Object.entries(h.features)) {
    for (const t of [e, e.user].filter((x): x is Timeline => x !== undefined)) {
      for (let i = 1; i < t.steps.length; i++) {
        if (compareKernelVersions(t.steps[i - 1]![0], t.steps[i]![0]) >= 0) {
          throw new Error(`${path}: ${name}: steps are not in increasing version order`);
        }
      }
    }
  }
  return h;
}

function valueAt(t: Timeline, version: string): FeatureValue {
  let v = t.before;
  for (const [since, value] of t.steps) if (compareKernelVersions(version, since) >= 0) v = value;
  return v;
}

/** The expected file for a kernel version. */
export function expectedFor(history: History, kernel: string, version = kernel): Expected {
  const root: FeatureMap = {};
  const user: FeatureMap = {};
  for (const [name, e] of Object.entries(history.features)) {
    root[name] = valueAt(e, version);
    user[name] = valueAt(e.user ?? e, version);
  }
  return { kernel, root, user };
}

export interface Difference {
  readonly feature: string;
  readonly expected: FeatureValue | undefined;
  readonly actual: FeatureValue | undefined;
}

/** Every feature whose value differs, including ones only one side has. `skip`: features not compared. */
export function compareFeatures(
  expected: FeatureMap,
  actual: FeatureMap,
  skip: ReadonlySet<string> = new Set(),
): Difference[] {
  const names = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
  const out: Difference[] = [];
  for (const feature of names) {
    if (skip.has(feature)) continue;
    const e = Object.hasOwn(expected, feature) ? expected[feature] : undefined;
    const a = Object.hasOwn(actual, feature) ? actual[feature] : undefined;
    if (e !== a) out.push({ feature, expected: e, actual: a });
  }
  return out;
}

export function formatDifference(d: Difference, user: UserLabel): string {
  const show = (v: FeatureValue | undefined) => (v === undefined ? '(missing)' : JSON.stringify(v));
  return `${user}: ${d.feature}: expected ${show(d.expected)}, got ${show(d.actual)}`;
}
