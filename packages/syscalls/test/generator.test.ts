/** The committed data is what the committed generator makes from the committed source. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalExpr, Preprocessor } from '../scripts/gen/cpp.js';
import { parseParam, parseSyscallDefines } from '../scripts/gen/prototypes.js';
import { parseTbl } from '../scripts/gen/tables.js';
import { manPageVersions } from '../scripts/gen/versions.js';

const pkg = join(import.meta.dirname, '..');

describe('generator', () => {
  it('regenerating from source/ reproduces data/ byte for byte', () => {
    const out = mkdtempSync(join(tmpdir(), 'sb-syscalls-gen-'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(pkg, 'scripts/generate.ts'), '--out', out], {
        cwd: pkg,
        stdio: 'pipe',
      });
      const files = readdirSync(join(pkg, 'data')).sort();
      expect(readdirSync(out).sort()).toEqual(files);
      for (const f of files) {
        expect(
          readFileSync(join(out, f), 'utf8') === readFileSync(join(pkg, 'data', f), 'utf8'),
          `data/${f} is stale: run pnpm generate`,
        ).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('evaluates the constant expressions of uapi headers', () => {
    expect(evalExpr('(62|0x80000000|0x40000000)')).toBe(0xc000003e);
    expect(evalExpr('(0x0f0000+2)')).toBe(0xf0002);
    expect(evalExpr('1 << 3 == 8 && !0')).toBe(1);
    expect(() => evalExpr('FOO + 1')).toThrow(/unexpected "FOO"/);
  });

  it('follows #if and #ifdef like a compiler for user space', () => {
    const cpp = new Preprocessor({ includeDirs: [], predefined: { __mips__: '1' } });
    const file = join(mkdtempSync(join(tmpdir(), 'sb-syscalls-cpp-')), 'h.h');
    const text = [
      '#ifdef __KERNEL__',
      '#define A 1',
      '#else',
      '#define A 2 /* user */',
      '#endif',
      '#if defined(__mips__) && A == 2',
      '#define B (A + 1)',
      '#elif 1',
      '#define B 99',
      '#endif',
      '#define C B',
      '#define D 1',
      '#undef D',
    ].join('\n');
    writeFileSync(file, text);
    cpp.run(file);
    expect(cpp.defines.has('D')).toBe(false);
    expect(cpp.value('A')).toBe(2);
    expect(cpp.value('B')).toBe(3);
    expect(cpp.aliasOf('C', /^B$/)).toBe('B');
  });

  it('reads table rows and rejects malformed ones with the line', () => {
    expect(parseTbl('# c\n257\tcommon\topenat\tsys_openat\n', 't.tbl')).toEqual([
      { nr: 257, abi: 'common', name: 'openat', cols: ['257', 'common', 'openat', 'sys_openat'] },
    ]);
    expect(() => parseTbl('x common foo\n', 't.tbl')).toThrow('t.tbl:1');
  });

  it('reads prototypes and SYSCALL_DEFINEs', () => {
    expect(parseParam('const char __user *filename', 0)).toEqual({
      type: 'const char __user *',
      name: 'filename',
    });
    expect(parseParam('unsigned long', 2).name).toBe('#2');
    expect(parseParam('int __user *', 1).type).toBe('int __user *');
    const d = parseSyscallDefines(
      'SYSCALL_DEFINE3(connect, int, fd, struct sockaddr __user *, uservaddr,\n\t\tint, addrlen)',
    );
    expect(d.get('sys_connect')).toEqual([
      { type: 'int', name: 'fd' },
      { type: 'struct sockaddr __user *', name: 'uservaddr' },
      { type: 'int', name: 'addrlen' },
    ]);
  });

  it('reads the man page table rows', () => {
    const m = manPageVersions(
      '\\fBopenat\\fP(2)\t2.6.16\n\\fBseccomp\\fP(2)\t3.17\n.\\" \\fBcmpxchg\\fP(2)\t2.6.12\n',
    );
    expect([...m]).toEqual([
      ['openat', '2.6.16'],
      ['seccomp', '3.17'],
    ]);
  });
});
