import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checker } from '../src/checker.js';
import { formatPolicyFile, PolicyFileError, parsePolicyFile } from '../src/format/file.js';
import { parsePolicy } from '../src/load.js';
import { CATEGORIES, emptyPolicy, RULE_ACTIONS } from '../src/model.js';
import { profile, profileNames } from '../src/profiles.js';

const load = { profile, profileNames: profileNames() };

const GOOD = `# a build sandbox
version: 1
extends: [paludis]
variables:
  WORK: /var/tmp/build
sandbox:
  read: allow
  stat: off
rules:
  - allow write \${WORK}/***
  - deny read /etc/shadow
  - {action: kill, category: exec, pattern: /usr/bin/nc}
quiet:
  - write /proc/***
options:
  violation: {decision: deny, raise_safe: true}
  magic_lock: exec
`;

describe('policy files (YAML / JSON)', () => {
  it('parses, extends a profile, expands variables, keeps positions', () => {
    const p = parsePolicyFile(GOOD, 'build.yaml', load);
    expect(p.sandbox.write).toBe('deny'); // from paludis
    expect(p.sandbox.read).toBe('allow');
    const own = p.rules.filter((r) => r.source?.file === 'build.yaml');
    expect(own.map((r) => [r.action, r.category, r.pattern, r.source?.line, r.source?.column])).toEqual([
      ['allow', 'write', '/var/tmp/build/***', 10, 5],
      ['deny', 'read', '/etc/shadow', 11, 5],
      ['kill', 'exec', '/usr/bin/nc', 12, 5],
    ]);
    expect(p.options.magicLock).toBe('exec');
    expect(p.options.violation.raiseSafe).toBe(true);
    expect(p.options.match.noWildcard).toBe('prefix'); // from paludis
    const c = new Checker(p);
    expect(c.check({ category: 'read', path: Buffer.from('/etc/shadow') }).rule?.source).toEqual({
      file: 'build.yaml',
      line: 11,
      column: 5,
    });
  });

  it('variables passed in override the file', () => {
    const p = parsePolicyFile(GOOD, 'build.yaml', { ...load, variables: { WORK: '/w' } });
    expect(p.rules.some((r) => r.pattern === '/w/***')).toBe(true);
  });

  const BAD: [string, string, string][] = [
    [
      'unknown top-level key',
      'sandbx:\n  read: deny\n',
      "x.yaml:1:1: unknown key 'sandbx' in the document (did you mean 'sandbox'?)",
    ],
    [
      'bad mode',
      'sandbox:\n  read: dney\n',
      'x.yaml:2:9: sandbox.read: expected one of "off", "allow", "deny"',
    ],
    ['bad category', 'sandbox:\n  reed: deny\n', 'x.yaml:2:3:'],
    [
      'bad rule action',
      'rules:\n  - alow write /tmp\n',
      "x.yaml:2:5: unknown action 'alow': expected allow, deny, filter, warn, kill, killall (did you mean 'allow'?)",
    ],
    ['bad rule category', 'rules:\n  - allow wirte /tmp\n', "x.yaml:2:5: unknown category 'wirte'"],
    ['rule too short', 'rules:\n  - allow write\n', 'x.yaml:2:5: rules.0: a rule: "ACTION CATEGORY PATTERN"'],
    ['bad address', 'rules:\n  - allow net/connect inet:1.2.3.4/99@1\n', 'x.yaml:2:5: netmask'],
    [
      'undefined variable',
      'rules:\n  - allow write $' + '{NOPE}/x\n',
      'x.yaml:2:5: undefined variable $' + '{NOPE}',
    ],
    [
      'unknown profile',
      'extends: [paluds]\n',
      "x.yaml:1:11: unknown profile 'paluds' (did you mean 'paludis'?)",
    ],
    [
      'bad option',
      'options:\n  magic_lock: sometimes\n',
      'x.yaml:2:15: options.magic_lock: expected one of "on", "off", "exec"',
    ],
    [
      'unknown option',
      'options:\n  magik_lock: on\n',
      "x.yaml:2:3: unknown key 'magik_lock' in options (did you mean 'magic_lock'?)",
    ],
    ['wrong type', 'rules: 3\n', 'x.yaml:1:8: rules: expected array'],
    ['YAML syntax', 'rules: [\n', 'x.yaml:2:1:'],
    ['duplicate key', 'sandbox: {}\nsandbox: {}\n', 'x.yaml:2:1:'],
  ];
  it.each(BAD)('%s', (_n, text, expected) => {
    expect(() => parsePolicyFile(text, 'x.yaml', load)).toThrow(PolicyFileError);
    try {
      parsePolicyFile(text, 'x.yaml', load);
    } catch (e) {
      expect((e as Error).message).toContain(expected);
    }
  });

  it('JSON, with positions', () => {
    const p = parsePolicy('{"sandbox": {"write": "deny"},\n "rules": ["allow write /tmp/***"]}', 'p.json');
    expect(p.rules[0]?.source).toEqual({ file: 'p.json', line: 2, column: 12 });
    expect(() => parsePolicy('{"sandbox": {"write": "nope"}}', 'p.json')).toThrow(
      /p\.json:1:23: sandbox\.write/,
    );
    expect(() => parsePolicy('{"sandbox": ', 'p.json')).toThrow(/p\.json:1:\d+: invalid JSON/);
  });

  const patternArb = fc.stringMatching(/^\/[a-zA-Z0-9_.*?$ \-/]{0,20}$/);
  it('round trip: parse(format(p)) == p (fast-check, seeded)', () => {
    const arb = fc.record({
      sandbox: fc.record(
        Object.fromEntries(
          CATEGORIES.map((c) => [c, fc.constantFrom('off' as const, 'allow' as const, 'deny' as const)]),
        ) as {
          [K in (typeof CATEGORIES)[number]]: fc.Arbitrary<'off' | 'allow' | 'deny'>;
        },
      ),
      rules: fc.array(
        fc.record({
          action: fc.constantFrom(...RULE_ACTIONS),
          category: fc.constantFrom('read' as const, 'write' as const, 'exec' as const, 'stat' as const),
          pattern: patternArb,
        }),
        { maxLength: 6 },
      ),
      lock: fc.constantFrom('on' as const, 'off' as const, 'exec' as const),
      general: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(arb, (x) => {
        const b = emptyPolicy();
        const p = {
          ...b,
          sandbox: x.sandbox,
          rules: x.rules,
          options: {
            ...b.options,
            magicLock: x.lock,
            restrict: { ...b.options.restrict, general: x.general },
          },
        };
        const text = formatPolicyFile(p);
        const back = parsePolicyFile(text, 'rt.yaml');
        expect({ ...back, rules: back.rules.map(({ source: _s, ...r }) => r) }).toEqual(p);
      }),
      { seed: 4321, numRuns: 200 },
    );
  });

  it('fuzz: never crashes, always a PolicyFileError with a position (fast-check, seeded)', () => {
    const piece = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'sandbox:',
        '  read: deny',
        'rules:',
        '  - allow write /x',
        '  - {',
        'options:',
        '  magic_lock: on',
        ': :',
        '- - -',
        '"',
        "'",
        '{}',
        '[]',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (lines) => {
        try {
          parsePolicyFile(lines.join('\n'), 'f.yaml', load);
        } catch (e) {
          expect(e).toBeInstanceOf(PolicyFileError);
          expect((e as Error).message).toMatch(/^f\.yaml:\d+:\d+: \S/);
        }
      }),
      { seed: 77, numRuns: 1500 },
    );
  });
});
