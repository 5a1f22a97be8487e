import { describe, expect, it } from 'vitest';
import { PACKAGE_DIR, runtimeFiles } from '../src/initramfs.js';

describe('the initramfs runtime files', () => {
  const files = new Set(runtimeFiles(PACKAGE_DIR).map((f) => f.to));

  it('hold the sb CLI the guest suite runs', () => {
    expect(files).toContain('sb/node_modules/sb/bin/sb.js');
    expect(files).toContain('sb/node_modules/sb/package.json');
    expect(files).toContain('sb/node_modules/@sb/sandbox/package.json');
  });

  it('keep code in folders named like docs below a package top (yaml/dist/doc)', () => {
    expect(files).toContain('sb/node_modules/yaml/dist/doc/directives.js');
  });
});
