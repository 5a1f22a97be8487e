/**
 * Violation reports: one record per reported decision, the same fields for the
 * human line on stderr and the JSON lines of --log.
 */

export interface ViolationRule {
  readonly action: string;
  readonly category: string;
  readonly pattern: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
}

export interface Violation {
  /** ISO 8601 time of the decision. */
  readonly time: string;
  /** Thread group (process) id and thread id of the caller. */
  readonly pid: number;
  readonly tid: number;
  /** The caller's working directory, when it could be read. */
  readonly cwd: string | null;
  readonly abi: string | null;
  readonly syscall: string;
  /** read, write, exec, stat, net/bind, net/connect; null for an internal failure. */
  readonly category: string | null;
  /** The resolved path or the address (`inet:127.0.0.1@80`), printable. */
  readonly subject: string;
  /** What was done: deny (errno), kill (the process), killall (the sandbox), allow (warn rules, cont). */
  readonly decision: 'allow' | 'deny' | 'kill' | 'killall';
  readonly errno: string | null;
  /** rule, default, failure, kill-if-match, internal-error, unknown-abi, ... */
  readonly reason: string;
  /** The rule that decided; null when the category's default (or a failure) did. */
  readonly rule: ViolationRule | null;
  /** The category's mode at the time (for a default decision). */
  readonly mode?: string;
  readonly message?: string;
}

function where(r: ViolationRule): string {
  if (!r.file) return '';
  if (!r.line) return ` from ${r.file}`;
  return ` at ${r.file}:${r.line}${r.column ? `:${r.column}` : ''}`;
}

/** `sb: deny write /etc/passwd (openat, EACCES, rule 'deny write /etc/***' at p.yaml:3) pid 12 cwd /x` */
export function formatViolation(v: Violation): string {
  const what = v.category ?? 'syscall';
  const parts = [v.syscall];
  if (v.errno && v.decision === 'deny') parts.push(v.errno);
  if (v.rule) parts.push(`rule '${v.rule.action} ${v.rule.category} ${v.rule.pattern}'${where(v.rule)}`);
  else if (v.reason === 'default') parts.push(`default: ${what} ${v.mode ?? 'deny'}`);
  else parts.push(v.reason);
  if (v.message) parts.push(v.message);
  return `sb: ${v.decision} ${what} ${v.subject} (${parts.join(', ')}) pid ${v.pid} cwd ${v.cwd ?? '?'}`;
}
