import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SB = fileURLToPath(new URL('../bin/sb.js', import.meta.url));

function sb(args: string[]) {
  return spawnSync(process.execPath, [SB, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('sb trace', () => {
  it('logs the selected syscalls with decoded paths, flags and results, and keeps the exit status', () => {
    const r = sb([
      'trace',
      '--filter',
      'openat,mkdir',
      '--',
      'sh',
      '-c',
      'cat /etc/hostname >/dev/null; mkdir /; exit 3',
    ]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/\[pid \d+\] openat\(AT_FDCWD, "\/etc\/hostname", O_RDONLY, 00\) = 3\n/);
    expect(r.stderr).toMatch(
      /\[pid \d+\] openat\(AT_FDCWD, "\/dev\/null", O_WRONLY\|O_CREAT\|O_TRUNC, 0666\) = 3\n/,
    );
    expect(r.stderr).toMatch(/\[pid \d+\] mkdir\("\/", 0777\) = -1 EEXIST\n/);
    expect(r.stderr).toMatch(/\+\+\+ exited with 3 \+\+\+\n$/);
    expect(r.stderr).not.toMatch(/ execve\(/);
  });

  it('--json -o FILE writes one object per line, execs and exits included', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sb-trace-')), 'log.jsonl');
    const r = sb([
      'trace',
      '--json',
      '-o',
      out,
      '--filter',
      'execve,@file-system',
      '--',
      'sh',
      '-c',
      'ls /etc/hostname',
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('/etc/hostname\n');
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      type: 'syscall',
      name: 'execve',
      argv: ['sh', '-c', 'ls /etc/hostname'],
    });
    const exec = lines.find((l) => l.type === 'syscall' && l.name === 'execve' && l.args);
    expect(exec.args[0]).toMatchObject({ kind: 'path', string: '/usr/bin/ls' });
    expect(lines.some((l) => l.type === 'exec')).toBe(true);
    const stat = lines.find(
      (l) => l.type === 'syscall' && l.args?.some((a: { string?: string }) => a.string === '/etc/hostname'),
    );
    expect(stat.ret).toBe('0');
    expect(lines.at(-1)).toMatchObject({ type: 'exit', code: 0, signal: null });
  });

  it.each([
    [['sh', '-c', 'kill -TERM $$'], 143, /killed by SIGTERM/],
    [['sh', '-c', 'exit 7'], 7, /exited with 7/],
  ])('exits like the program: %j -> %i', (cmd, status, log) => {
    const r = sb(['trace', '--filter', 'kill', '--', ...cmd]);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(log);
  });

  it.each([
    [['trace', '--filter', 'opnat', '--', 'true'], 2, /unknown syscall 'opnat'.*did you mean 'openat'/],
    [['trace', '--filter', '@nosuchgroup', '--', 'true'], 2, /--filter: .*nosuchgroup/],
    [['trace'], 2, /name a program/],
    [['trace', '--', '/no/such/program'], 127, /cannot run \/no\/such\/program: .*execve.*ENOENT/],
  ])('refuses bad input: %j', (args, status, message) => {
    const r = sb(args);
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
  });

  it('--probe lists the kernel features', () => {
    const r = sb(['trace', '--probe']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^PTRACE_SEIZE: yes$/m);
    expect(r.stdout).toMatch(/^seccomp stop order: /m);
  });
});
