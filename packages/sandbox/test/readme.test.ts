import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('the example runs as written', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /```js\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf('## Example')))?.[1];
    expect(code).toBeTruthy();
    const file = fileURLToPath(new URL('./.readme-example.mjs', import.meta.url));
    writeFileSync(file, code!.replace("from '@sb/sandbox'", "from '../dist/index.js'"));
    try {
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 60_000 });
      expect(out).toMatch(
        /^sb: deny write \/etc\/sb-readme \(openat, EACCES, default: write deny\) pid \d+ cwd \/\S+\nkill net\/connect inet:192\.0\.2\.1@80\n$/,
      );
    } finally {
      rmSync(file, { force: true });
      rmSync('/etc/sb-readme', { force: true });
    }
  });
});
