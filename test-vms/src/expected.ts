/**
 * Expected features per kernel version, derived from expected/history.json (the
 * kernel's history), and the comparison of a guest's report with them.
 */
import { readFileSync } from 'node:fs';
import { compareKernelVersions } from '@sb/syscalls';
import type { FeatureMap, FeatureValue, GuestResult, UserLabel } from './types.js';

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

/**
 * Reported for information, never compared: the backends and namespace options sb
 * offers today (they grow as sb does), how many denials reached sb's log (Landlock
 * denies without telling sb), the machine's user-namespace sysctl policy (userns.*
 * but the probe), and any `backend.*` candidate history.json has no entry
 * for (a new backend's minimum kernel goes there once it exists).
 */
export function informational(feature: string, expected: FeatureMap): boolean {
  if (feature === 'enforce.backends' || feature === 'enforce.unshareOptions') return true;
  if (feature.startsWith('enforce.') && /\.(reported|refusal)$/.test(feature)) return true;
  if (feature.startsWith('userns.') && feature !== 'userns.probe') return true;
  return feature.startsWith('backend.') && !Object.hasOwn(expected, feature);
}

/** Enforcement checks in history.json are per check (`enforce.write`); results are per backend. */
const ENFORCE_TEMPLATE = /^enforce\.([a-zA-Z0-9-]+)$/;

/**
 * The expected map for one guest result: enforcement templates (`enforce.write`) become
 * `enforce.<backend>.write` for every backend the guest ran and every backend expected to
 * be usable (`backend.<name>: true`), so a backend that should work but did not run fails;
 * `enforce.unshare-<ns>` only for the namespace options this sb has (enforce.unshareOptions),
 * with the first backend.
 */
export function expandExpected(expected: FeatureMap, actual: FeatureMap): FeatureMap {
  const out: FeatureMap = {};
  const templates: [string, FeatureValue][] = [];
  for (const [k, v] of Object.entries(expected)) {
    const m = ENFORCE_TEMPLATE.exec(k);
    if (m !== null && k !== 'enforce.backends' && k !== 'enforce.unshareOptions') templates.push([m[1]!, v]);
    // Per-backend overrides apply only where that backend is expanded (below).
    else if (!k.startsWith('enforce.')) out[k] = v;
  }
  const ran = typeof actual['enforce.backends'] === 'string' ? actual['enforce.backends'].split(',') : [];
  const due = Object.entries(expected)
    .filter(([k, v]) => k.startsWith('backend.') && k !== 'backend.auto' && v === true)
    .map(([k]) => k.slice('backend.'.length));
  const options = new Set(
    typeof actual['enforce.unshareOptions'] === 'string' ? actual['enforce.unshareOptions'].split(',') : [],
  );
  const all = [...new Set([...ran, ...due])];
  for (const b of all) {
    for (const [check, v] of templates) {
      // Namespace options: with the first backend only (src/guest/enforce.ts).
      if (check.startsWith('unshare-') && (b !== all[0] || !options.has(check.slice('unshare-'.length))))
        continue;
      // A backend's own entry in history.json (enforce.landlock.write) overrides the template.
      out[`enforce.${b}.${check}`] = Object.hasOwn(expected, `enforce.${b}.${check}`)
        ? expected[`enforce.${b}.${check}`]!
        : v;
    }
  }
  return out;
}

/** Where sb's report and the suite's own probe of the same feature disagree. */
export function crossCheck(sb: FeatureMap, probes: FeatureMap): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(probes)) {
    if (k.endsWith('.error') || !Object.hasOwn(sb, k) || sb[k] === v) continue;
    out.push(`${k}: sb features says ${JSON.stringify(sb[k])}, the suite's probe ${JSON.stringify(v)}`);
  }
  return out;
}

/**
 * One user's result against that user's expected map: the differences (enforcement
 * expanded per backend, informational features and `skip` left out) and every
 * problem as a line: differences, cross-check disagreements, probe errors.
 */
export function judgeResult(
  expected: FeatureMap,
  result: GuestResult,
  user: UserLabel,
  skip: ReadonlySet<string> = new Set(),
): { differences: Difference[]; problems: string[] } {
  const want = expandExpected(expected, result.features);
  const skipHere = new Set([...skip, ...Object.keys(result.features).filter((k) => informational(k, want))]);
  const differences = compareFeatures(want, result.features, skipHere);
  const problems = differences.map((d) => formatDifference(d, user));
  // Not skipped in emulated cells: sb and the suite's probes run under the same filter.
  for (const c of crossCheck(result.features, result.probes ?? {}))
    problems.push(`${user}: cross-check: ${c}`);
  for (const e of result.errors) problems.push(`${user}: probe error: ${e.split('\n')[0]}`);
  return { differences, problems };
}
