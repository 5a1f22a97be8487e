import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';

describe('README', () => {
  it('the example runs as written', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Example'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeTruthy();
    // Run it against the sources (the package name points at dist/).
    const file = new URL('./.readme-example.ts', import.meta.url);
    writeFileSync(file, code!.replace("from '@sb/policy'", "from '../src/index.js'"));
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file.href);
      expect(log).toHaveBeenCalledWith('3 openat rules; last: trace for a runtime check');
    } finally {
      log.mockRestore();
      rmSync(file);
    }
  });
});
