/** The README's example runs and prints what the README says; its table names every bwrap option. */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARG_HELP, UNSUPPORTED } from '../src/index.js';

const pkg = join(import.meta.dirname, '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

describe('README', () => {
  it('the example prints the output shown (as root and as uid 65534)', () => {
    const section = readme.slice(readme.indexOf('## Example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    const expected = /```text\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    expect(expected).toBeDefined();
    // Inside the package so '@sb/ptrace' resolves; @sb/ns from its source.
    const file = join(pkg, `.readme-example-${process.pid}.mts`);
    try {
      writeFileSync(
        file,
        code!.replace("from '@sb/ns'", `from '${pathToFileURL(join(pkg, 'src/index.ts')).href}'`),
      );
      const run = (prefix: string[]) => {
        const [cmd, ...args] = [...prefix, process.execPath, '--import', 'tsx', file];
        return execFileSync(cmd!, args, { cwd: pkg, encoding: 'utf8', env: { ...process.env, HOME: '/' } });
      };
      expect(run([])).toBe(expected);
      expect(run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'])).toBe(expected);
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('the bubblewrap table names every option sb has and every one it leaves out', () => {
    for (const name of [...ARG_HELP.map(([n]) => n), ...Object.keys(UNSUPPORTED), '--args']) {
      if (['--new-session', '--no-new-session', '--die-with-parent'].includes(name)) continue;
      expect(readme, name).toContain(`\`${name}`);
    }
  });
});
