import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Checker } from '../src/checker.js';
import {
  formatSydbox,
  MagicCommandError,
  magicKeys,
  parseMagicCommand,
  parseSydbox,
} from '../src/format/sydbox.js';
import { CATEGORIES, emptyPolicy, RULE_ACTIONS } from '../src/model.js';

const FIXTURE = new URL('./fixtures/build.syd-1', import.meta.url);

describe('sydbox-1 magic commands', () => {
  it('parses a .syd-1 file', () => {
    const { policy, warnings } = parseSydbox(readFileSync(FIXTURE, 'utf8'), 'build.syd-1');
    expect(policy.sandbox).toEqual({
      read: 'off',
      write: 'deny',
      exec: 'off',
      stat: 'off',
      'net/bind': 'deny',
      'net/connect': 'deny',
    });
    expect(policy.options.match.noWildcard).toBe('prefix');
    expect(policy.options.allow.unsupportedSocketFamilies).toBe(true);
    expect(policy.options.trace.useToolongHack).toBe(true);
    expect(policy.options.exec.killIfMatch).toEqual(['/usr/bin/ktorrent']);
    expect(policy.rules.map((r) => `${r.action} ${r.category} ${r.pattern}`)).toEqual([
      'allow write /dev/null',
      'allow write /dev/tty*',
      'allow write /tmp/***',
      'allow write /var/tmp',
      'deny write /tmp/protected/***',
      'allow net/bind LOOPBACK@0',
      'allow net/connect unix:/run/nscd/socket',
    ]);
    expect(policy.rules[3]?.source).toEqual({ file: 'build.syd-1', line: 25, column: 3 });
    expect(policy.quiet).toHaveLength(1);
    expect(warnings).toEqual([
      "build.syd-1:31: 'log/level' is accepted and ignored: sb reports through its own logger",
    ]);
  });

  it('decides like sydbox: prefix mode, last match, filters', () => {
    const { policy } = parseSydbox(readFileSync(FIXTURE, 'utf8'), 'build.syd-1');
    const c = new Checker(policy);
    const w = (p: string) => c.check({ category: 'write', path: Buffer.from(p), op: 'open' });
    expect(w('/var/tmp/x/y').decision).toBe('allow'); // no_wildcard:prefix
    expect(w('/var/tmpx').decision).toBe('deny');
    expect(w('/tmp/a').decision).toBe('allow');
    expect(w('/tmp/protected/a').rule?.source?.line).toBe(26);
    expect(w('/proc/1/x')).toMatchObject({ decision: 'deny', report: false }); // filter: not reported
    expect(w('/etc/passwd')).toMatchObject({ decision: 'deny', report: true });
  });

  it('removes with -', () => {
    const { policy } = parseSydbox('whitelist/write+/a\nwhitelist/write+/b\nwhitelist/write-/a\n');
    expect(policy.rules.map((r) => r.pattern)).toEqual(['/b']);
  });

  const ERRORS: [string, RegExp][] = [
    [
      'core/sandbox/wrte:deny',
      /unknown magic key 'core\/sandbox\/wrte' \(did you mean 'core\/sandbox\/write'\?\)/,
    ],
    [
      'core/sandbox/write:dney',
      /'dney' is not a valid sandbox mode: expected off, allow, deny \(did you mean 'deny'\?\)/,
    ],
    ['core/sandbox/write:bpf', /'bpf'.*not supported/],
    ['core/violation/raise_fail:maybe', /not a boolean/],
    ['core/violation/exit_code:x', /not an integer/],
    ['whitelist/write:/tmp', /is a list/],
    ['core/sandbox/write+deny', /is not a list/],
    ['whitelist/network/connect+inet:1.2.3.4/40@1', /netmask/],
    ['whitelist/write+', /needs a pattern/],
    ['cmd/exec!ls', /unknown magic key/],
    ['just text', /is not a magic command/],
    ['core/sandbox/write?', /queries .* only for the magic stat/],
  ];
  it.each(ERRORS)('%s is an error', (line, re) => {
    const text = `# comment\n\n${line}\n`;
    expect(() => parseSydbox(text, 'x.syd-1')).toThrow(MagicCommandError);
    try {
      parseSydbox(text, 'x.syd-1');
    } catch (e) {
      expect((e as Error).message).toMatch(/^x\.syd-1:3:1: /);
      expect((e as Error).message).toMatch(re);
    }
  });

  it("knows sydbox-1.0's keys", () => {
    for (const k of [
      'core/sandbox/exec',
      'core/sandbox/read',
      'core/sandbox/write',
      'core/sandbox/network',
      'core/whitelist/per_process_directories',
      'core/whitelist/successful_bind',
      'core/whitelist/unsupported_socket_families',
      'core/violation/decision',
      'core/violation/exit_code',
      'core/violation/raise_fail',
      'core/violation/raise_safe',
      'core/trace/follow_fork',
      'core/trace/exit_wait_all',
      'core/trace/magic_lock',
      'core/trace/use_seccomp',
      'core/trace/use_seize',
      'core/trace/use_toolong_hack',
      'core/match/case_sensitive',
      'core/match/no_wildcard',
      'core/restrict/general',
      'core/restrict/io_control',
      'core/restrict/memory_map',
      'core/restrict/shared_memory_writable',
      'core/abort/decision',
      'core/panic/decision',
      'core/panic/exit_code',
      'exec/kill_if_match',
      'exec/resume_if_match',
      'whitelist/network/bind',
      'blacklist/network/connect',
      'filter/network',
      'allowlist/read',
      'denylist/exec',
    ])
      expect(magicKeys()).toContain(k);
  });

  const patternArb = fc.stringMatching(/^\/[a-zA-Z0-9_.*?\-/]{0,20}$/).filter((s) => !s.includes('\n'));
  const ruleArb = fc.record({
    action: fc.constantFrom(...RULE_ACTIONS),
    category: fc.constantFrom(...CATEGORIES.filter((c) => !c.startsWith('net/'))),
    pattern: patternArb,
  });
  const netRuleArb = fc.record({
    action: fc.constantFrom(...RULE_ACTIONS),
    category: fc.constantFrom('net/bind' as const, 'net/connect' as const),
    pattern: fc.constantFrom(
      'LOOPBACK@0',
      'inet:10.0.0.0/8@1-2',
      'unix:/run/*',
      'unix-abstract:x*',
      'ANY6@53',
    ),
  });
  const policyArb = fc.record({
    sandbox: fc.record(
      Object.fromEntries(
        CATEGORIES.map((c) => [c, fc.constantFrom('off' as const, 'allow' as const, 'deny' as const)]),
      ) as {
        [K in (typeof CATEGORIES)[number]]: fc.Arbitrary<'off' | 'allow' | 'deny'>;
      },
    ),
    rules: fc.array(fc.oneof(ruleArb, netRuleArb), { maxLength: 8 }),
    quiet: fc.array(
      fc.record({ category: fc.constantFrom('read' as const, 'write' as const), pattern: patternArb }),
      {
        maxLength: 3,
      },
    ),
    decision: fc.constantFrom('deny' as const, 'kill' as const, 'killall' as const, 'cont' as const),
    lock: fc.constantFrom('on' as const, 'off' as const, 'exec' as const),
    noWildcard: fc.constantFrom('literal' as const, 'prefix' as const),
    exitCode: fc.integer({ min: -1, max: 255 }),
    kill: fc.array(patternArb, { maxLength: 2 }),
  });

  it('round trip: parse(format(p)) == p (fast-check, seeded)', () => {
    fc.assert(
      fc.property(policyArb, (x) => {
        const base = emptyPolicy();
        const p = {
          sandbox: x.sandbox,
          rules: x.rules,
          quiet: x.quiet,
          options: {
            ...base.options,
            violation: { ...base.options.violation, decision: x.decision, exitCode: x.exitCode },
            magicLock: x.lock,
            match: { ...base.options.match, noWildcard: x.noWildcard },
            exec: { killIfMatch: x.kill, resumeIfMatch: [] },
          },
        };
        const text = formatSydbox(p);
        const back = parseSydbox(text, 'rt.syd-1').policy;
        const strip = (q: typeof back) => ({
          ...q,
          rules: q.rules.map(({ action, category, pattern }) => ({ action, category, pattern })),
          quiet: q.quiet.map(({ category, pattern }) => ({ category, pattern })),
        });
        expect(strip(back)).toEqual(strip(p));
        expect(formatSydbox(back)).toBe(text);
      }),
      { seed: 1234, numRuns: 300 },
    );
  });

  it('fuzz: never crashes, always a MagicCommandError with a position (fast-check, seeded)', () => {
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc
        .constantFrom(...magicKeys())
        .chain((k) =>
          fc
            .tuple(fc.constantFrom(':', '+', '-', '?', '!', ''), fc.string({ maxLength: 20 }))
            .map(([op, v]) => `${k}${op}${v}`),
        ),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), (lines) => {
        try {
          parseSydbox(lines.join('\n'), 'f.syd-1');
        } catch (e) {
          expect(e).toBeInstanceOf(MagicCommandError);
          expect((e as Error).message).toMatch(/^f\.syd-1:\d+:\d+: \S/);
        }
      }),
      { seed: 99, numRuns: 2000 },
    );
  });

  it('splits commands', () => {
    expect(parseMagicCommand('whitelist/network/connect+unix:/a:b')).toEqual({
      key: 'whitelist/network/connect',
      op: '+',
      value: 'unix:/a:b',
    });
    expect(parseMagicCommand('core/sandbox/read?')).toEqual({ key: 'core/sandbox/read', op: '?', value: '' });
  });
});
