/**
 * Explaining a violation: which rule (or default) decided, and the smallest
 * addition that would allow it, as a policy-file rule and a sydbox-1 magic command.
 */
import type { Violation } from './report.js';

export interface Explanation {
  readonly violation: Violation;
  /** How many identical violations (same syscall, subject, decision, rule) the log held. */
  readonly count: number;
  readonly decidedBy: string;
  /** What to add or change; empty when nothing should (e.g. an allowed warn). */
  readonly fix: readonly string[];
}

const MAGIC_CATEGORY: Record<string, string> = {
  read: 'read',
  write: 'write',
  exec: 'exec',
  stat: 'stat',
  'net/bind': 'network/bind',
  'net/connect': 'network/connect',
};

function where(v: Violation): string {
  const r = v.rule;
  if (!r?.file) return '';
  return r.line ? ` at ${r.file}:${r.line}${r.column ? `:${r.column}` : ''}` : ` from ${r.file}`;
}

function escapePath(p: string): string {
  return p.replace(/[*?[\\]/g, '\\$&');
}

export function explainViolation(v: Violation, count = 1): Explanation {
  const cat = v.category;
  const subject = cat && !cat.startsWith('net/') ? escapePath(v.subject) : v.subject;
  const allowRule = cat ? `allow ${cat} ${subject}` : '';
  const magic = cat ? `allowlist/${MAGIC_CATEGORY[cat] ?? cat}+${subject}` : '';
  const fixes = (after: string): string[] => [
    `add the rule \`${allowRule}\` to a policy file${after} (the last matching rule wins)`,
    `or run with -m '${magic}'`,
  ];
  switch (v.reason) {
    case 'rule':
      return {
        violation: v,
        count,
        decidedBy: `rule '${v.rule?.action} ${v.rule?.category} ${v.rule?.pattern}'${where(v)}`,
        fix:
          v.decision === 'allow'
            ? [`nothing to allow: a warn rule reported it; remove that rule to silence it`]
            : [
                ...fixes(
                  v.rule?.file
                    ? ` after that rule (${v.rule.file}${v.rule.line ? `:${v.rule.line}` : ''})`
                    : '',
                ),
                ...(v.rule?.file?.startsWith('<profile')
                  ? [`or drop the profile ${v.rule.file.slice(9, -1)}`]
                  : []),
              ],
      };
    case 'default':
      return {
        violation: v,
        count,
        decidedBy: `the default of the ${cat} category (${v.mode ?? 'deny'}): no rule matched`,
        fix: [
          ...fixes(''),
          `or turn ${cat} checking off: sandbox: { ${cat}: off } / -m 'core/sandbox/${MAGIC_CATEGORY[cat ?? ''] ?? cat}:off'`,
        ],
      };
    case 'kill-if-match':
      return {
        violation: v,
        count,
        decidedBy: `exec/kill_if_match lists a pattern matching ${v.subject}`,
        fix: [`remove it: -m 'exec/kill_if_match-PATTERN' or edit options.exec.kill_if_match`],
      };
    case 'unsupported-family':
      return {
        violation: v,
        count,
        decidedBy: 'the socket family is neither unix, inet nor inet6',
        fix: [
          `allow other families: options: { allow: { unsupported_socket_families: true } } / -m 'core/allowlist/unsupported_socket_families:true'`,
        ],
      };
    case 'internal-error':
    case 'unknown-abi':
      return {
        violation: v,
        count,
        decidedBy: `sb itself (${v.reason}${v.message ? `: ${v.message}` : ''}); denied to fail closed`,
        fix: ['nothing in the policy allows this; report it if it is a bug in sb'],
      };
    default:
      return {
        violation: v,
        count,
        decidedBy: `${v.reason}${v.errno ? ` (${v.errno})` : ''}: the call could not be checked (e.g. an unreadable argument or a path that does not resolve)`,
        fix: ['nothing to add: such calls are always denied'],
      };
  }
}

/** Explanations for a JSON-lines log, duplicates folded, in first-seen order. Throws naming the bad line. */
export function explainLog(text: string, file = '<log>'): Explanation[] {
  const seen = new Map<string, { v: Violation; n: number }>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: Violation;
    try {
      v = JSON.parse(line) as Violation;
    } catch (e) {
      throw new Error(`${file}:${i + 1}: not JSON: ${(e as Error).message}`);
    }
    if (
      typeof v !== 'object' ||
      v === null ||
      typeof v.syscall !== 'string' ||
      typeof v.decision !== 'string'
    ) {
      throw new Error(`${file}:${i + 1}: not an sb violation record (needs syscall and decision)`);
    }
    const key = JSON.stringify([v.syscall, v.category, v.subject, v.decision, v.reason, v.rule]);
    const e = seen.get(key);
    if (e) e.n++;
    else seen.set(key, { v, n: 1 });
  });
  return [...seen.values()].map(({ v, n }) => explainViolation(v, n));
}
