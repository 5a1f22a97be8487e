/** SandboxOptions.namespaces: the policy and the namespaces together, through the library face. */
import { existsSync } from 'node:fs';
import { NamespaceOptionsError } from '@sb/ns';
import { describe, expect, it } from 'vitest';
import type * as Sandbox from '../src/index.js';

// The built package: its handler module runs on the tracer thread as JavaScript.
const { run, spawn } = (await import(new URL('../dist/index.js', import.meta.url).href)) as typeof Sandbox;

const root = [
  { op: 'ro-bind' as const, source: '/usr', dest: '/usr' },
  { op: 'symlink' as const, target: 'usr/bin', dest: '/bin' },
  { op: 'symlink' as const, target: 'usr/lib', dest: '/lib' },
  ...(existsSync('/lib64') ? [{ op: 'symlink' as const, target: 'usr/lib64', dest: '/lib64' }] : []),
  { op: 'tmpfs' as const, dest: '/tmp' },
  { op: 'proc' as const, dest: '/proc' },
];

describe('SandboxOptions.namespaces', () => {
  it('runs in its own root and pid namespace, with the policy still enforced inside', async () => {
    const r = await run('sh', ['-c', 'ls /; echo $$; echo y > /tmp/denied'], {
      namespaces: { unshare: { pid: true, net: true }, root },
      policy: [{ profile: 'readonly' }],
    });
    expect(r.stdout.toString()).toBe(`bin\nlib\n${existsSync('/lib64') ? 'lib64\n' : ''}proc\ntmp\nusr\n2\n`);
    expect(r.violations.map((v) => v.subject)).toEqual(['/tmp/denied']);
    expect(r.code).toBe(2);
  });

  it('bad namespace options throw before anything starts', () => {
    expect(() =>
      spawn('true', [], { namespaces: { root: [{ op: 'bind', source: '/nope-sb', dest: '/x' }] } }),
    ).toThrow(NamespaceOptionsError);
  });
});
