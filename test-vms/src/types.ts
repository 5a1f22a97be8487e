/** Shapes shared by the host harness and the guest suite. */

export type FeatureValue = boolean | number | string | null;
export type FeatureMap = Record<string, FeatureValue>;

/** What the guest suite reports for one run (one user). */
export interface GuestResult {
  readonly label: string;
  readonly uid: number;
  readonly node: string;
  /** sb's report (`sb features --json`) and the enforcement suite's verdicts: what is judged. */
  readonly features: FeatureMap;
  /** The suite's own probes: cross-checked against sb's report. */
  readonly probes?: FeatureMap;
  /** Stack traces of probes that threw. */
  readonly errors: string[];
  readonly ms: number;
}

/** The users the guest suite runs as. */
export const USERS = ['root', 'user'] as const;
export type UserLabel = (typeof USERS)[number];
