import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENDERS } from '../src/contenders/index.js';
import { USAGE } from '../src/options.js';
import { WORKLOADS } from '../src/workloads/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

// The README documents the exact command lines: keep it in step with the code.
describe('README', () => {
  it.each(CONTENDERS.map((c) => [c.id, c.commandLine] as const))(
    'shows the command line of %s',
    (_id, line) => {
      expect(readme).toContain(`\`${line}\``);
    },
  );

  it.each(WORKLOADS.map((w) => w.id))('describes workload %s', (id) => {
    expect(readme).toMatch(new RegExp(`^\\| ${id} +\\|`, 'm'));
  });

  it.each([...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!))('documents option %s', (opt) => {
    expect(readme).toContain(`\`${opt}`);
  });
});
