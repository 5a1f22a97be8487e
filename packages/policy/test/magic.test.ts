import { describe, expect, it } from 'vitest';
import { MagicState, parseMagicPath } from '../src/magic.js';
import { definePolicy } from '../src/model.js';

const b = (s: string) => Buffer.from(s);

describe('the magic path', () => {
  it('recognises /dev/sb and /dev/sydbox', () => {
    expect(parseMagicPath(b('/dev/sb/core/sandbox/write:deny'))).toBe('core/sandbox/write:deny');
    expect(parseMagicPath(b('/dev/sydbox/whitelist/write+/tmp/***'))).toBe('whitelist/write+/tmp/***');
    expect(parseMagicPath(b('/dev/sydbox'))).toBe('');
    expect(parseMagicPath(b('/dev/sbx/a'))).toBeNull();
    expect(parseMagicPath(b('/dev/null'))).toBeNull();
  });

  it('applies commands and answers queries', () => {
    const m = new MagicState(definePolicy({ sandbox: { write: 'deny' } }), new Set(['write', 'read']));
    const w = (p: string) => m.checker.check({ category: 'write', path: b(p) }).decision;
    expect(w('/tmp/x')).toBe('deny');
    expect(m.handle(1, b('/dev/sb/whitelist/write+/tmp/***'))).toEqual({ errno: null, changed: true });
    expect(w('/tmp/x')).toBe('allow');
    expect(m.handle(1, b('/dev/sb/core/sandbox/write?'))?.errno).toBeNull();
    expect(m.handle(1, b('/dev/sb/core/sandbox/read?'))?.errno).toBe('ENOENT');
    expect(m.handle(1, b('/dev/sb'))?.errno).toBeNull();
    expect(m.handle(1, b('/dev/sb/whitelist/write-/tmp/***'))?.changed).toBe(true);
    expect(w('/tmp/x')).toBe('deny');
    expect(m.handle(1, b('/etc/passwd'))).toBeNull();
  });

  it('errors: EINVAL for bad values, ENOENT for unknown keys, EPERM for commands', () => {
    const m = new MagicState(definePolicy(), new Set());
    expect(m.handle(1, b('/dev/sb/core/sandbox/write:maybe'))?.errno).toBe('EINVAL');
    expect(m.handle(1, b('/dev/sb/core/sandbox/wirte:deny'))?.errno).toBe('ENOENT');
    expect(m.handle(1, b('/dev/sb/exec/kill_if_match!x'))?.errno).toBe('EPERM');
    expect(m.handle(1, b('/dev/sb/garbage'))?.errno).toBe('EINVAL');
  });

  it('cannot turn on a category the filter does not trace', () => {
    const m = new MagicState(definePolicy({ sandbox: { write: 'deny' } }), new Set(['write']));
    const r = m.handle(1, b('/dev/sb/core/sandbox/read:deny'));
    expect(r?.errno).toBe('EBUSY');
    expect(m.policy.sandbox.read).toBe('off');
    expect(m.handle(1, b('/dev/sb/core/sandbox/write:allow'))?.errno).toBeNull();
  });

  it('magic lock: on forbids, exec locks after execve, children inherit', () => {
    const m = new MagicState(definePolicy({ options: { magicLock: 'exec' } }), new Set());
    expect(m.handle(1, b('/dev/sb/whitelist/write+/a'))?.errno).toBeNull();
    m.onFork(1, 2);
    m.onExec(1);
    expect(m.handle(1, b('/dev/sb/whitelist/write+/b'))?.errno).toBe('ENOENT');
    expect(m.handle(1, b('/dev/sb'))?.errno).toBe('ENOENT');
    expect(m.handle(2, b('/dev/sb/whitelist/write+/c'))?.errno).toBeNull();
    expect(m.handle(2, b('/dev/sb/core/trace/magic_lock:on'))?.errno).toBeNull();
    expect(m.handle(2, b('/dev/sb/whitelist/write+/d'))?.errno).toBe('ENOENT');
    expect(m.policy.rules.map((r) => r.pattern)).toEqual(['/a', '/c']);
  });

  it('the magic path can be switched off', () => {
    const m = new MagicState(definePolicy({ options: { allow: { magicPath: false } } }), new Set());
    expect(m.handle(1, b('/dev/sb/core/sandbox/write:deny'))).toBeNull();
  });

  it('keeps successful binds across policy changes', () => {
    const m = new MagicState(definePolicy({ sandbox: { 'net/connect': 'deny' } }), new Set(['net/connect']), {
      socketKind: () => '1/6',
    });
    m.checker.recordSuccessfulBind({ family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 9 }, '1/6');
    m.handle(1, b('/dev/sb/whitelist/write+/x'));
    const d = m.checker.check({
      category: 'net/connect',
      address: { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 9 },
      pid: 1,
      socketFd: 3,
    });
    expect(d.reason).toBe('successful-bind');
  });
});
