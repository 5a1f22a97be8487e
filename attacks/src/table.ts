/** The corpus table: technique x backend (x user) -> blocked / documented / ESCAPED, and race rates. */
import type { AttackResult } from './runner.js';

function cell(r: AttackResult | undefined): string {
  if (!r) return '-';
  const rate = r.rate ? ` ${r.rate[0]}/${r.rate[1]}` : '';
  return `${r.verdict}${rate}`;
}

export function formatTable(results: readonly AttackResult[]): string {
  const cols = [...new Set(results.map((r) => `${r.backend}/${r.user}`))];
  const names = [...new Set(results.map((r) => r.attack))];
  const rows = names.map((n) => [
    n,
    ...cols.map((c) => cell(results.find((r) => r.attack === n && `${r.backend}/${r.user}` === c))),
  ]);
  const head = ['technique', ...cols];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(w[i]!))
      .join('  ')
      .trimEnd();
  const count = (v: string) => results.filter((r) => r.verdict === v).length;
  return [
    line(head),
    line(w.map((x) => '-'.repeat(x))),
    ...rows.map(line),
    '',
    `${names.length} techniques, ${results.length} runs: ${count('blocked')} blocked, ${count('documented')} documented, ${count('ESCAPED')} ESCAPED, ${count('error')} error, ${count('n/a')} n/a (backend refused the policy or failed to launch)`,
  ].join('\n');
}

/** One line per escape or error, with its evidence. */
export function formatFindings(results: readonly AttackResult[]): string {
  return results
    .filter((r) => r.verdict !== 'blocked')
    .map(
      (r) =>
        `${r.verdict} ${r.attack} [${r.backend}/${r.user}]: ${r.says}${r.evidence.length ? `\n    evidence: ${r.evidence.join('; ')}` : ''}`,
    )
    .join('\n');
}
