import { describe, expect, it } from 'vitest';
import { compilePolicy, compileSyscallRules, type SyscallRule } from '../src/compile.js';
import { TRACE_IDS } from '../src/coverage.js';
import { definePolicy, type PolicyInput } from '../src/model.js';

const NO_MAGIC: PolicyInput['options'] = { allow: { magicPath: false } };

function rulesFor(input: PolicyInput, syscall: string, arch = 'x86_64'): SyscallRule[] {
  return compileSyscallRules(definePolicy({ options: NO_MAGIC, ...input }), arch).rules.filter(
    (r) => r.syscall === syscall,
  );
}

/** Evaluate ordered rules like the filter: first rule whose conditions hold, else allow. */
function filterAction(rules: SyscallRule[], args: number[]): string {
  for (const r of rules) {
    const ok = (r.args ?? []).every((c) =>
      c.op === 'EQ' ? (args[c.arg] ?? 0) === c.value : ((args[c.arg] ?? 0) & (c.mask ?? 0)) === c.value,
    );
    if (!ok) continue;
    if (r.action === 'allow') return 'allow';
    if ('deny' in r.action) return `deny:${r.action.errno}`;
    return `trace:${r.action.category}`;
  }
  return 'allow';
}

const O_WRONLY = 1;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_PATH = 0o10000000;
const O_TMPFILE = 0o20000000 | 0o200000;

describe('seccomp rules: the supervisor sees only what it must', () => {
  it('everything off (and no magic path): no rules at all', () => {
    expect(compileSyscallRules(definePolicy({ options: NO_MAGIC }), 'x86_64').rules).toEqual([]);
  });

  it.each([
    ['x86_64', 'ptrace'],
    ['x86_64', 'process_vm_writev'],
    ['i386', 'process_vm_readv'],
    ['aarch64', 'pidfd_getfd'],
    ['x86_64', 'chroot'],
    ['i386', 'pivot_root'],
  ])(
    '%s %s: escapes from the checks (other processes, a new root) are denied while anything is sandboxed',
    (arch, name) => {
      const on: PolicyInput = { sandbox: { exec: 'deny' } };
      expect(filterAction(rulesFor(on, name, arch), [])).toBe('deny:EPERM');
      expect(
        rulesFor(
          { ...on, options: { ...NO_MAGIC, unsafe: { crossProcess: true, chroot: true } } },
          name,
          arch,
        ),
      ).toEqual([]);
      expect(rulesFor({}, name, arch)).toEqual([]);
    },
  );

  it('the magic path needs the stat family traced', () => {
    const r = compileSyscallRules(definePolicy(), 'x86_64').rules.map((x) => x.syscall);
    expect(r).toContain('newfstatat');
    expect(r).toContain('statx');
    expect(r).not.toContain('openat');
  });

  // [policy, flags] -> filter action for openat
  const OPENAT: [string, PolicyInput, number, string][] = [
    ['write only: read-only open allowed', { sandbox: { write: 'deny' } }, 0, 'allow'],
    ['write only: O_WRONLY traced', { sandbox: { write: 'deny' } }, O_WRONLY, 'trace:open'],
    ['write only: O_RDONLY|O_CREAT traced', { sandbox: { write: 'deny' } }, O_CREAT, 'trace:open'],
    ['write only: O_RDONLY|O_TRUNC traced', { sandbox: { write: 'deny' } }, O_TRUNC, 'trace:open'],
    ['write only: O_TMPFILE traced', { sandbox: { write: 'deny' } }, O_TMPFILE | O_RDWR, 'trace:open'],
    ['write only: O_PATH allowed', { sandbox: { write: 'deny' } }, O_PATH | O_WRONLY, 'allow'],
    ['read only: O_WRONLY|O_CREAT allowed', { sandbox: { read: 'deny' } }, O_WRONLY | O_CREAT, 'allow'],
    ['read only: O_RDWR traced', { sandbox: { read: 'deny' } }, O_RDWR, 'trace:open'],
    ['read only: O_RDONLY traced', { sandbox: { read: 'deny' } }, 0, 'trace:open'],
    ['stat only: O_PATH traced', { sandbox: { stat: 'deny' } }, O_PATH, 'trace:open'],
    ['stat only: O_RDWR allowed', { sandbox: { stat: 'deny' } }, O_RDWR, 'allow'],
    [
      'read+write: everything but O_PATH traced',
      { sandbox: { read: 'allow', write: 'allow' } },
      O_WRONLY,
      'trace:open',
    ],
    ['read+write: O_PATH allowed', { sandbox: { read: 'allow', write: 'allow' } }, O_PATH, 'allow'],
  ];
  it.each(OPENAT)('%s', (_n, p, flags, expected) => {
    expect(filterAction(rulesFor(p, 'openat'), [-100, 0, flags, 0])).toBe(expected);
    expect(filterAction(rulesFor(p, 'open'), [0, flags, 0])).toBe(expected);
  });

  it('open flags per ABI (mips O_CREAT is 0x100)', () => {
    expect(filterAction(rulesFor({ sandbox: { write: 'deny' } }, 'open', 'mips'), [0, 0x100, 0])).toBe(
      'trace:open',
    );
    expect(filterAction(rulesFor({ sandbox: { write: 'deny' } }, 'open', 'mips'), [0, 0x40, 0])).toBe(
      'allow',
    );
  });

  it('openat2 is traced whenever a file category is on (flags are behind a pointer)', () => {
    expect(filterAction(rulesFor({ sandbox: { write: 'deny' } }, 'openat2'), [])).toBe('trace:open');
    expect(rulesFor({ sandbox: { exec: 'deny' } }, 'openat2')).toEqual([]);
  });

  it('categories map to their syscalls', () => {
    expect(filterAction(rulesFor({ sandbox: { exec: 'deny' } }, 'execve'), [])).toBe('trace:exec');
    expect(rulesFor({ sandbox: { write: 'deny' } }, 'execve')).toEqual([]);
    expect(filterAction(rulesFor({ sandbox: { write: 'deny' } }, 'unlinkat'), [])).toBe('trace:write');
    expect(filterAction(rulesFor({ sandbox: { stat: 'deny' } }, 'statx'), [])).toBe('trace:stat');
    expect(filterAction(rulesFor({ sandbox: { 'net/bind': 'deny' } }, 'bind'), [])).toBe('trace:net/bind');
    expect(rulesFor({ sandbox: { 'net/bind': 'deny' } }, 'connect')).toEqual([]);
  });

  it('sendto without an address stays in the kernel', () => {
    const r = rulesFor({ sandbox: { 'net/connect': 'deny' } }, 'sendto');
    expect(filterAction(r, [3, 0, 0, 0, 0, 0])).toBe('allow');
    expect(filterAction(r, [3, 0, 0, 0, 0x1000, 16])).toBe('trace:net/connect');
  });

  it('socketcall: only the checked sub-calls are traced (i386)', () => {
    const r = rulesFor({ sandbox: { 'net/connect': 'deny' } }, 'socketcall', 'i386');
    expect(filterAction(r, [3, 0])).toBe('trace:socketcall');
    expect(filterAction(r, [11, 0])).toBe('trace:socketcall');
    expect(filterAction(r, [2, 0])).toBe('allow');
    expect(filterAction(r, [1, 0])).toBe('allow');
  });

  it('unsafe calls: denied outright while a category is on, unless allowed', () => {
    expect(filterAction(rulesFor({ sandbox: { read: 'deny' } }, 'open_by_handle_at'), [])).toBe('deny:EPERM');
    expect(filterAction(rulesFor({ sandbox: { read: 'deny' } }, 'name_to_handle_at'), [])).toBe(
      'deny:EOPNOTSUPP',
    );
    expect(filterAction(rulesFor({ sandbox: { write: 'deny' } }, 'io_uring_setup'), [])).toBe('deny:EPERM');
    expect(
      rulesFor(
        { sandbox: { write: 'deny' }, options: { ...NO_MAGIC, unsafe: { ioUring: true } } },
        'io_uring_setup',
      ),
    ).toEqual([]);
  });

  it("the deny errno is the ABI's own number (mips EOPNOTSUPP)", () => {
    const [r] = rulesFor({ sandbox: { read: 'deny' } }, 'name_to_handle_at', 'mips');
    expect(r?.action).toEqual({ deny: 122, errno: 'EOPNOTSUPP' });
  });

  it('exec/kill_if_match needs execve traced even with exec off', () => {
    expect(
      filterAction(
        rulesFor({ options: { ...NO_MAGIC, exec: { killIfMatch: ['/usr/bin/nc'] } } }, 'execve'),
        [],
      ),
    ).toBe('trace:exec');
  });

  it('produces rules for every ABI, with stable trace ids', () => {
    const c = compilePolicy(definePolicy({ sandbox: { write: 'deny', 'net/connect': 'deny' } }));
    expect(Object.keys(c.syscalls).length).toBeGreaterThan(30);
    expect(c.landlock).toBeNull();
    expect(TRACE_IDS).toEqual({
      read: 1,
      write: 2,
      exec: 3,
      stat: 4,
      'net/bind': 5,
      'net/connect': 6,
      open: 7,
      socketcall: 8,
    });
  });
});
