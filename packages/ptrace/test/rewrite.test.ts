import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, runHarness, USERS } from './helpers.js';

const MKDIR = 83;
const GETPID = 39;
const WRITE = 1;
const X32_GETPID = 39 | 0x40000000;
const EACCES = 13;
const ENOSYS = 38;

// Both ways of reading a stop: PTRACE_GET_SYSCALL_INFO (5.3+) and registers only
// (with the instruction bytes before rip for the ABI), as on older kernels.
const VIEWS = [
  ['syscall info', {}],
  ['registers', { syscallInfo: false }],
] as const;

describe.each(USERS)('rewriting as %s', (user) => {
  const fx = fixtures();
  const dir = mkdtempSync(join(tmpdir(), 'sb-ptrace-rw-'));
  chmodSync(dir, 0o777);

  describe.each(VIEWS)('through %s', (_name, features) => {
    it('denies with an errno, fakes a return value, rewrites an argument', () => {
      const target = join(dir, `d-${user}-${_name.replace(' ', '')}`);
      const r = runHarness(user, {
        argv: [fx.syscalls!, target],
        features,
        deny: { [MKDIR]: EACCES },
        fake: { [GETPID]: 4242 },
        rewrite: { [WRITE]: [2, 3] },
        filter: [MKDIR, GETPID, WRITE],
      });
      expect(r.stdout).toBe(`mkdir=-1 errno=${EACCES}\ngetpid=4242\nABC\nx32-getpid=-1 errno=${ENOSYS}\n`);
      expect(r.code).toBe(0);
      // The denied call left no directory behind.
      expect(() => runHarness(user, { argv: ['test', '!', '-e', target] })).not.toThrow();
      expect(runHarness(user, { argv: ['test', '-e', target] }).code).toBe(1);
      // The x32 call was told apart from x86_64 getpid (the filter traps foreign ABIs).
      expect(r.result.seccomp[`x32:${X32_GETPID}`]).toBe(1);
      expect(r.result.seccomp[`x86_64:${GETPID}`]).toBe(1);
      // The rewritten write returned 3 to the program.
      expect(r.result.exitValues[`x86_64:${WRITE}`]).toContain('3');
    });

    // The engine's own filter traps clone/clone3 even when the user's filter does not.
    it.each([
      ['a filter that traps clone', [56, 435, 110]],
      ['a filter that ignores clone', [110]],
    ])('strips CLONE_UNTRACED and refuses clone3 under %s', (_f, filter) => {
      const r = runHarness(user, { argv: [fx.untraced!], features, filter });
      expect(r.stdout).toBe(`clone-child=3\nclone3=-1 errno=${ENOSYS}\n`);
      // The child's two getppid calls were seen: it stayed traced.
      expect(r.result.seccomp['x86_64:110']).toBe(2);
      expect(r.result.spawns.fork + r.result.spawns.clone + r.result.spawns.unknown).toBe(1);
    });

    it('strips CLONE_UNTRACED with no user filter at all', () => {
      const r = runHarness(user, { argv: [fx.untraced!], features, filter: 'none' });
      expect(r.stdout).toBe(`clone-child=3\nclone3=-1 errno=${ENOSYS}\n`);
      expect(r.result.spawns.fork + r.result.spawns.clone + r.result.spawns.unknown).toBe(1);
      // clone reaches the handler; clone3 is answered by the engine before any handler.
      expect(Object.keys(r.result.seccomp)).toEqual(['x86_64:56']);
    });
  });
});
