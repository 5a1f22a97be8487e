import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeLandlock } from '../src/index.js';

describe('README', () => {
  it('the example runs as written and prints what the README shows', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const example = readme.slice(readme.indexOf('## Example'));
    const code = /```js\n([\s\S]*?)```/.exec(example)?.[1];
    const shown = /prints[^`]*```\n([\s\S]*?)```/.exec(example)?.[1];
    expect(code).toBeTruthy();
    const file = fileURLToPath(new URL('./.readme-example.mjs', import.meta.url));
    writeFileSync(file, code!.replace("from '@sb/landlock'", "from '../dist/index.js'"));
    try {
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      const probe = probeLandlock();
      // The first line is this kernel's; the rest is what the README shows (ABI 3+).
      const expected = shown!.replace(/^Landlock ABI 7\n/, `${probe.detail}\n`);
      if ((probe.abi ?? 7) >= 3) expect(out).toBe(expected);
      else expect(out.split('\n')[0]).toBe(probe.detail);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
