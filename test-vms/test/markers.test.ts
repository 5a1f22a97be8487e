import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DONE, EXIT, encodeResult, parseConsole } from '../src/markers.js';

describe('console markers', () => {
  it('round-trips results through kernel noise, CRLF and prefixes', () => {
    const root = { features: { 'ns.user': true, 'landlock.abi': 3 }, note: 'x'.repeat(500) };
    const log = [
      '[    0.000000] Linux version 6.1.0',
      ...encodeResult('root', root).map((l, i) =>
        i === 2 ? `[   1.2] random: crng init done\r\n${l}` : `${l}\r`,
      ),
      `${EXIT} root 0`,
      ...encodeResult('user', { features: {} }),
      `${EXIT} user 3`,
      DONE,
    ].join('\n');
    const p = parseConsole(log);
    expect(p.errors).toEqual([]);
    expect(p.results.get('root')).toEqual(root);
    expect(p.results.get('user')).toEqual({ features: {} });
    expect(p.exits).toEqual(
      new Map([
        ['root', 0],
        ['user', 3],
      ]),
    );
    expect(p.done).toBe(true);
  });

  it.each([
    [
      'a data line broken by a kernel message',
      (l: string[]) => l.map((x, i) => (i === 1 ? `${x.slice(0, 20)}[ 3.1] oops${x.slice(20)}` : x)),
    ],
    ['a lost data line', (l: string[]) => l.filter((_, i) => i !== 1)],
    ['a missing end marker', (l: string[]) => l.slice(0, -1)],
    ['a missing begin marker', (l: string[]) => l.slice(1)],
  ])('reports %s instead of a result', (_name, damage) => {
    const lines = damage(encodeResult('root', { features: { a: 'y'.repeat(200) } }));
    const p = parseConsole(lines.join('\n'));
    expect(p.results.has('root')).toBe(false);
    expect(p.errors.length).toBeGreaterThan(0);
    expect(p.done).toBe(false);
  });

  it('round-trips any JSON value (seeded property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.string({ maxLength: 12 }).filter((s) => /^\w+$/.test(s)),
        (v, label) => {
          const p = parseConsole(encodeResult(label, v).join('\n'));
          expect(p.errors).toEqual([]);
          expect(p.results.get(label)).toEqual(JSON.parse(JSON.stringify(v)));
        },
      ),
      { seed: 20261129, numRuns: 200 },
    );
  });
});
