/**
 * Fuzzing (fast-check, seeded: failures reproduce; SB_FUZZ_RUNS raises the run counts) where the
 * packages' own tests do not already: the policy → BPF filter for RANDOM policies and arguments
 * whose upper 32 bits are garbage (packages/sandbox tests fixed profiles with 32-bit arguments;
 * packages/bpf tests the compiler on random BPF policies), sockaddr decoding against the kernel's
 * own reading of the same bytes, and the policy parsers on mutated real policies (the packages
 * fuzz random lines; here: JSON files and byte-level mutations of every built-in profile).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionName, emulate } from '@sb/bpf';
import {
  compileSyscallRules,
  decodeSockaddr,
  formatPolicyFile,
  formatSydbox,
  MagicCommandError,
  PolicyFileError,
  PolicyLoadError,
  parsePolicy,
  profile,
  profileNames,
  type SyscallRule,
} from '@sb/policy';
import { buildPolicy, compileFilter, hostAbis } from '@sb/sandbox';
import { getArch, syscallByName } from '@sb/syscalls';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Built, buildCorpus } from '../src/index.js';

const SCALE = Number(process.env.SB_FUZZ_RUNS ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

const INT32 =
  /^(const )?(unsigned )?int$|^(umode_t|mode_t|uid_t|gid_t|pid_t|u32|__u32|s32|__s32|rwf_t|key_serial_t|clockid_t|qid_t)$/;

/** Whether the kernel reads argument i of the call as a 32-bit int (then it ignores the upper half). */
function int32Arg(abi: string, name: string, i: number): boolean {
  if (getArch(abi).bits === 32) return true;
  const t = syscallByName(abi, name)?.args[i]?.type;
  return t !== undefined && INT32.test(t.trim());
}

/** The action the first matching rule gives, comparing each argument at the width the kernel uses. */
function reference(rules: readonly SyscallRule[], args: readonly bigint[], abi: string): string {
  for (const r of rules) {
    const holds = (r.args ?? []).every((c) => {
      const full = args[c.arg] ?? 0n;
      const v = int32Arg(abi, r.syscall, c.arg) ? full & 0xffffffffn : full;
      const value = BigInt(c.value >>> 0);
      return c.op === 'EQ' ? v === value : (v & BigInt((c.mask ?? 0xffffffff) >>> 0)) === value;
    });
    if (!holds) continue;
    if (r.action === 'allow') return 'ALLOW';
    if ('deny' in r.action) return `ERRNO(${r.action.deny})`;
    return `TRACE(${r.action.trace})`;
  }
  return 'ALLOW';
}

const MODES = ['off', 'allow', 'deny'] as const;
const CATS = ['read', 'write', 'exec', 'stat', 'network/bind', 'network/connect'] as const;

describe('policy -> BPF filter, random policies (fast-check, seeded)', () => {
  const abis = hostAbis();
  const policyArb = fc.record({
    modes: fc.tuple(...CATS.map(() => fc.constantFrom(...MODES))),
    lock: fc.constantFrom('on', 'off', 'exec'),
    unsafe: fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()),
    kill: fc.boolean(),
  });

  it('every ABI: the emulated filter answers what the first matching rule says, whatever the upper halves', () => {
    fc.assert(
      fc.property(policyArb, fc.integer({ min: 0, max: 1 << 30 }), (p, seed) => {
        const magic = [
          ...CATS.map((c, i) => `core/sandbox/${c}:${p.modes[i]}`),
          `core/trace/magic_lock:${p.lock}`,
          `core/restrict/open_by_handle_at:${p.unsafe[0]}`,
          `core/restrict/name_to_handle_at:${p.unsafe[1]}`,
          `core/restrict/io_uring:${p.unsafe[2]}`,
          ...(p.kill ? ['exec/kill_if_match+/usr/bin/id'] : []),
        ];
        const policy = buildPolicy(magic.map((m) => ({ magic: m }))).policy;
        const filter = compileFilter(policy, abis);
        const rnd = fc.sample(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { seed, numRuns: 48 });
        let k = 0;
        for (const abi of abis) {
          const arch = getArch(abi);
          const byNr = new Map<number, SyscallRule[]>();
          for (const r of compileSyscallRules(policy, arch).rules)
            byNr.set(r.nr, [...(byNr.get(r.nr) ?? []), r]);
          for (const [nr, list] of byNr) {
            const name = list[0]!.syscall;
            if (name === 'clone' || name === 'clone3') continue;
            // The values the rules test, with random upper halves, and random words.
            const vals = list.flatMap((r) => (r.args ?? []).map((c) => BigInt(c.value >>> 0)));
            const args = Array.from({ length: 6 }, (_, i) => {
              const low =
                vals.length && i % 2 === 0
                  ? vals[(k + i) % vals.length]!
                  : rnd[(k + i) % rnd.length]! & 0xffffffffn;
              // 32-bit ABIs pass 32-bit registers: no upper half to vary there.
              const high = getArch(abi).bits === 32 ? 0n : rnd[(k * 7 + i) % rnd.length]! >> 32n;
              return (high << 32n) | low;
            });
            k++;
            const got = actionName(emulate(filter.program, { nr, arch: arch.auditArch, args }).action);
            if (filter.widened.includes(name)) expect(got, `${abi} ${name}`).toMatch(/^TRACE\(/);
            else
              expect(got, `${abi} ${name} ${args.map((a) => a.toString(16))}`).toBe(
                reference(list, args, abi),
              );
          }
        }
      }),
      { seed: 1010, numRuns: runs(25) },
    );
  });
});

describe('sockaddr decoding against the kernel (fast-check, seeded)', () => {
  let built: Built;
  let cwd: string;
  beforeAll(() => {
    built = buildCorpus();
    cwd = mkdtempSync(join(tmpdir(), 'sb-fuzz-sockaddr-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  const le16 = (n: number) => [n & 0xff, n >> 8];
  const be16 = (n: number) => [n >> 8, n & 0xff];
  const unixArb = fc
    .record({
      abstract: fc.boolean(),
      name: fc.uint8Array({ minLength: 0, maxLength: 110 }).map((b) => b.map((x) => 0x61 + (x % 26))),
      nulAt: fc.option(fc.nat(110)),
      extra: fc.integer({ min: -3, max: 3 }),
    })
    .map(({ abstract, name, nulAt, extra }) => {
      const body = [...(abstract ? [0] : []), ...name];
      if (nulAt !== null && nulAt < body.length && !abstract) body[nulAt] = 0;
      const bytes = [...le16(1), ...body];
      return Uint8Array.from(bytes.slice(0, Math.max(2, Math.min(bytes.length + extra, 112))));
    });
  const inetArb = fc
    .record({
      port: fc.integer({ min: 1, max: 65535 }),
      b: fc.nat(255),
      len: fc.integer({ min: 2, max: 24 }),
    })
    .map(({ port, b, len }) => {
      const full = [...le16(2), ...be16(port), 127, 0, 0, Math.max(1, b), ...Array(8).fill(0)];
      return Uint8Array.from([...full, ...Array(8).fill(0x41)].slice(0, len));
    });
  const inet6Arb = fc
    .record({
      port: fc.integer({ min: 1, max: 65535 }),
      mapped: fc.boolean(),
      b: fc.nat(255),
      len: fc.integer({ min: 2, max: 32 }),
    })
    .map(({ port, mapped, b, len }) => {
      const addr = mapped
        ? [...Array(10).fill(0), 0xff, 0xff, 127, 0, 0, Math.max(1, b)]
        : [...Array(15).fill(0), 1];
      const full = [...le16(10), ...be16(port), 0, 0, 0, 0, ...addr, 0, 0, 0, 0];
      return Uint8Array.from([...full, ...Array(4).fill(0)].slice(0, len));
    });
  const otherArb = fc
    .record({ fam: fc.constantFrom(0, 3, 16, 17, 40, 44, 0xffff), len: fc.integer({ min: 2, max: 32 }) })
    .map(({ fam, len }) => Uint8Array.from([...le16(fam), ...Array(30).fill(0)].slice(0, len)));

  it('what the supervisor decodes is what the kernel binds or connects to; EINVAL exactly when the kernel says so', () => {
    const cases = fc.sample(fc.oneof(unixArb, inetArb, inet6Arb, otherArb), {
      seed: 2024,
      numRuns: runs(400),
    });
    const out = execFileSync(built.helpers.get('sockaddr-oracle')!, [], {
      cwd,
      input: `${cases.map((c) => Buffer.from(c).toString('hex')).join('\n')}\n`,
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(out.length).toBe(cases.length);
    cases.forEach((bytes, i) => {
      const kernel = out[i]!;
      const d = decodeSockaddr(bytes, bytes.length);
      const ctx = `${Buffer.from(bytes).toString('hex')} -> kernel ${kernel}, decoded ${JSON.stringify(d, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))}`;
      if (!d.ok) {
        expect(kernel, ctx).toBe('ERR 22');
        return;
      }
      const a = d.addr;
      const k = kernel.startsWith('OK ') ? Buffer.from(kernel.slice(3), 'hex') : null;
      switch (a.family) {
        case 'unix':
          // The kernel answers ENOENT/EINVAL for paths it cannot create (empty after NUL, ...); when it binds, the path is ours.
          if (k)
            expect(Buffer.from(k.subarray(2)).toString('latin1').replace(/\0+$/, ''), ctx).toBe(
              Buffer.from(a.path).toString('latin1'),
            );
          else expect(a.path.length === 0 || kernel !== 'ERR 22', ctx).toBe(true);
          break;
        case 'unix-abstract':
          expect(k, ctx).not.toBeNull();
          expect(Buffer.from(k!.subarray(3)).equals(Buffer.from(a.name)), ctx).toBe(true);
          break;
        case 'unix-unnamed':
          expect(kernel, ctx).toMatch(/^OK 010000[0-9a-f]{10}$/); // autobind: NUL and a 5-character abstract name
          break;
        case 'inet':
        case 'inet6': {
          expect(k, ctx).not.toBeNull();
          const port = k!.readUInt16BE(2);
          expect(port, ctx).toBe(a.port);
          const addr = a.family === 'inet' ? k!.subarray(4, 8) : k!.subarray(8, 24);
          expect(Buffer.from(addr).equals(Buffer.from(a.addr)), ctx).toBe(true);
          break;
        }
        case 'other':
          // AF_UNSPEC on a UDP socket is "disconnect" (success); other families are refused, after
          // the length check of the socket's own family (the supervisor denies them either way).
          expect(kernel, ctx).toBe(a.familyNumber === 0 ? 'OK ' : bytes.length < 16 ? 'ERR 22' : 'ERR 97');
          break;
      }
    });
  });
});

describe('policy parsers on mutated real policies (fast-check, seeded)', () => {
  const texts = profileNames().flatMap((n) => {
    const p = profile(n, {})!;
    return [
      { file: `${n}.yaml`, text: formatPolicyFile(p) },
      { file: `${n}.json`, text: JSON.stringify(JSON.parse(JSON.stringify({ sandbox: p.sandbox }))) },
      { file: `${n}.syd-1`, text: formatSydbox(p) },
    ];
  });
  const mutation = fc.record({
    which: fc.nat(texts.length - 1),
    edits: fc.array(
      fc.record({
        at: fc.nat(),
        op: fc.constantFrom('flip', 'delete', 'insert', 'truncate', 'dup-line'),
        byte: fc.constantFrom(...': -{}[]"\'\n\t#/*@!?+0xéÿ\u0000'.split('')),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  });

  it("never crash; every error is the format's own error naming the file and a position", () => {
    fc.assert(
      fc.property(mutation, ({ which, edits }) => {
        const { file, text: original } = texts[which]!;
        let t = original;
        for (const e of edits) {
          const at = t.length ? e.at % t.length : 0;
          if (e.op === 'flip') t = t.slice(0, at) + e.byte + t.slice(at + 1);
          else if (e.op === 'delete') t = t.slice(0, at) + t.slice(at + 1);
          else if (e.op === 'insert') t = t.slice(0, at) + e.byte + t.slice(at);
          else if (e.op === 'truncate') t = t.slice(0, at);
          else {
            const lines = t.split('\n');
            const i = at % Math.max(1, lines.length);
            lines.splice(i, 0, lines[i] ?? '');
            t = lines.join('\n');
          }
        }
        try {
          parsePolicy(t, file);
        } catch (e) {
          const ok =
            e instanceof PolicyFileError || e instanceof MagicCommandError || e instanceof PolicyLoadError;
          expect(ok, `${file}: ${(e as Error).stack}`).toBe(true);
          expect((e as Error).message, JSON.stringify(t)).toMatch(
            new RegExp(`^${file.replace('.', '\\.')}:\\d+(:\\d+)?: \\S`),
          );
        }
      }),
      { seed: 99, numRuns: runs(600) },
    );
  });
});
