import { describe, expect, it } from 'vitest';
import { OptionError, parseOptions } from '../src/options.js';

const known = { workloads: ['build', 'startup'], contenders: ['native', 'bwrap', 'sb-ptrace'] };
const defaults = { workdir: '/w', outDir: '/o' };
const parse = (argv: string[]) => parseOptions(argv, known, defaults);

describe('parseOptions', () => {
  it('defaults: 5 runs, 1 warm-up, both variants, everything', () => {
    expect(parse([])).toMatchObject({
      runs: 5,
      warmups: 1,
      quick: false,
      variants: ['free', 'pinned'],
      workloads: [],
      contenders: [],
      pinCpu: 0,
      write: true,
    });
  });
  it('--quick: 1 warm-up + 2 runs unless told otherwise', () => {
    expect(parse(['--quick'])).toMatchObject({ quick: true, runs: 2, warmups: 1 });
    expect(parse(['--quick', '--runs', '3'])).toMatchObject({ runs: 3 });
  });
  it('filters are repeatable and comma-separated', () => {
    expect(
      parse(['--workload', 'build,startup', '--contender', 'bwrap', '--contender', 'sb-ptrace']),
    ).toMatchObject({
      workloads: ['build', 'startup'],
      contenders: ['bwrap', 'sb-ptrace'],
    });
  });
  it.each([
    [['--workload', 'nope'], /unknown workload 'nope' \(known: build, startup\)/],
    [['--contender', 'docker'], /unknown contender 'docker'/],
    [['--runs', '0'], /--runs: expected an integer >= 1, got '0'/],
    [['--runs', 'many'], /--runs/],
    [['--variants', 'sometimes'], /unknown variant 'sometimes'/],
    [['--frobnicate'], /frobnicate/],
  ])('%j is an error', (argv, msg) => {
    expect(() => parse(argv)).toThrow(OptionError);
    expect(() => parse(argv)).toThrow(msg);
  });
});
