/**
 * Real enforcement: the steps rulesetSteps() generates, run by fixtures/run-steps.c
 * in a child process (as root and as uid 65534), against this kernel's Landlock.
 */
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { definePolicy, type Policy, type Rule } from '@sb/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeLandlock, rulesetSteps, translate } from '../src/index.js';
import { runUnder, work } from './helpers.js';

const probe = probeLandlock();
const abi = probe.abi ?? 0;
const allow = (category: Rule['category'], pattern: string): Rule => ({ action: 'allow', category, pattern });
const opts = { allow: { successfulBind: false } };

function steps(policy: Policy) {
  return rulesetSteps(translate(policy, { abi }).ruleset);
}

const allowed = join(work, 'allowed');
const denied = join(work, 'denied');
const sh = (script: string) => ['sh', '-c', script];

describe.skipIf(!probe.available)(`Landlock ABI ${abi} enforcement`, () => {
  beforeAll(() => {
    chmodSync(work, 0o755);
    for (const d of [allowed, denied]) {
      mkdirSync(d, { recursive: true });
      chmodSync(d, 0o777);
    }
    writeFileSync(join(denied, 'secret'), 'secret\n', { mode: 0o644 });
    copyFileSync('/bin/true', join(denied, 'prog'));
    chmodSync(join(denied, 'prog'), 0o755);
  });

  for (const as of ['root', 'nobody'] as const) {
    it(`write allow-list (${as}): allowed write works, denied write is EACCES`, () => {
      const s = steps(
        definePolicy({
          sandbox: { write: 'deny' },
          rules: [allow('write', `${allowed}/***`)],
          options: opts,
        }),
      );
      const ok = runUnder(s, sh(`echo hi > ${allowed}/f-${as} && cat ${allowed}/f-${as}`), as);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toBe('hi\n');
      const no = runUnder(s, sh(`echo hi > ${denied}/f-${as}`), as);
      expect(no.status).not.toBe(0);
      expect(no.stderr).toMatch(/Permission denied/);
      // Creating a directory and removing a file are write too.
      expect(runUnder(s, ['mkdir', `${denied}/d-${as}`], as).stderr).toMatch(/Permission denied/);
      expect(runUnder(s, ['mkdir', `${allowed}/d-${as}`], as).status).toBe(0);
    });

    it(`read allow-list (${as}): a file outside is EACCES`, () => {
      const s = steps(
        definePolicy({
          sandbox: { read: 'deny' },
          rules: ['/usr/***', '/lib/***', '/lib64/***', '/etc/***', '/proc/***', `${allowed}/***`].map((p) =>
            allow('read', p),
          ),
          options: opts,
        }),
      );
      writeFileSync(join(allowed, 'public'), 'public\n', { mode: 0o644 });
      expect(runUnder(s, ['cat', join(allowed, 'public')], as).stdout).toBe('public\n');
      const no = runUnder(s, ['cat', join(denied, 'secret')], as);
      expect(no.status).not.toBe(0);
      expect(no.stderr).toMatch(/Permission denied/);
    });

    it(`exec allow-list (${as}): a program outside is EACCES`, () => {
      const s = steps(
        definePolicy({
          sandbox: { exec: 'deny' },
          rules: ['/usr/***', '/bin/***', '/lib/***', '/lib64/***'].map((p) => allow('exec', p)),
          options: opts,
        }),
      );
      expect(runUnder(s, sh('true'), as).status).toBe(0);
      const no = runUnder(s, sh(`${denied}/prog`), as);
      expect(no.status).toBe(126);
      expect(no.stderr).toMatch(/Permission denied/);
    });
  }

  it('an allowed path that does not exist is skipped, not a failure', () => {
    const s = steps(
      definePolicy({
        sandbox: { write: 'deny' },
        rules: [allow('write', '/nonexistent/sb/***'), allow('write', `${allowed}/***`)],
        options: opts,
      }),
    );
    expect(s.some((x) => x.kind === 'syscall' && x.step.includes('/nonexistent/sb'))).toBe(true);
    const r = runUnder(s, sh(`echo ok > ${allowed}/after-missing`));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  describe.skipIf(abi < 4)('TCP (ABI 4)', () => {
    const servers: Server[] = [];
    const ports: number[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 2; i++) {
        const s = createServer((c) => c.end());
        await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
        servers.push(s);
        ports.push((s.address() as { port: number }).port);
      }
    });
    afterAll(() => {
      for (const s of servers) s.close();
    });

    for (const as of ['root', 'nobody'] as const) {
      it(`connect (${as}): the allowed port connects, another is EACCES`, () => {
        const s = steps(
          definePolicy({
            sandbox: { 'net/connect': 'deny' },
            rules: [allow('net/connect', `inet:127.0.0.1@${ports[0]}`)],
            options: opts,
          }),
        );
        const tcp = (port: number) => ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && echo connected`];
        expect(runUnder(s, tcp(ports[0]!), as).stdout).toBe('connected\n');
        const no = runUnder(s, tcp(ports[1]!), as);
        expect(no.stdout).toBe('');
        expect(no.stderr).toMatch(/Permission denied/);
        // Without the ruleset both connect: the denial is Landlock's.
        expect(runUnder([], tcp(ports[1]!), as).stdout).toBe('connected\n');
      });
    }
  });
});

describe.skipIf(probe.available)('without Landlock', () => {
  it('the probe says why', () => {
    expect(probe.detail).toMatch(/Landlock/);
  });
});

describe.skipIf(!probe.available)('paths Landlock cannot name', () => {
  it('a rule on a pipe (/dev/stdout on a pipe) is left out, not a failure', () => {
    const s = steps(
      definePolicy({
        sandbox: { write: 'deny' },
        rules: [allow('write', '/dev/stdout'), allow('write', `${allowed}/***`)],
        options: opts,
      }),
    );
    // spawnSync gives the child pipes: /dev/stdout -> /proc/self/fd/1 -> pipe:[...]
    const r = runUnder(s, sh('echo through-the-pipe'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('through-the-pipe\n');
  });
});
