/** The README's rules example is real: it parses, compiles, and every row of its table holds. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatAction } from '../src/compiler/actions.js';
import { archTarget } from '../src/compiler/arches.js';
import { compile } from '../src/compiler/compile.js';
import { evaluatePolicy } from '../src/compiler/reference.js';
import { parsePolicy } from '../src/compiler/schema.js';
import { emulate } from '../src/emulator/emulate.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const at = readme.indexOf('<!-- rules-example -->');
const json = /```json\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
const table = readme.slice(at + json.length).split('\n\n')[1] ?? '';
const rows = table
  .split('\n')
  .slice(2)
  .map((line) => line.split('|').map((c) => c.trim()))
  .map(([, arch, call, act]) => ({ arch: arch as string, call: call as string, act: act as string }));

describe('README rules example', () => {
  const policy = parsePolicy(json, 'README.md');
  const program = compile(policy);
  it('has a table', () => expect(rows.length).toBeGreaterThanOrEqual(8));
  it.each(rows)('$arch $call -> $act', ({ arch, call, act }) => {
    const m = /^(\w+)\((.*)\)$/.exec(call);
    if (!m) throw new Error(`bad row ${call}`);
    const t = archTarget(arch);
    const nr = t.byName.get(m[1] as string) as number;
    const args = (m[2] as string).split(',').map((v) => BigInt(v.trim()));
    const data = { arch: t.auditArch, nr, args };
    expect(formatAction(emulate(program, data).action)).toBe(act);
    expect(formatAction(evaluatePolicy(policy, data))).toBe(act);
  });
});
