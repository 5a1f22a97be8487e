import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ErrnoError, type MemoryMethod, TraceeMemory, Tracer, traceFilter } from '../src/index.js';
import { fixtures, runHarness, USERS } from './helpers.js';

const PAGE = 4096;
const GETPPID = 110;
const METHODS: MemoryMethod[] = ['process_vm', 'proc_mem', 'peek'];

/** What test/fixtures/memory.c puts in its 3 readable pages (then a PROT_NONE page). */
function model(): Uint8Array {
  const m = new Uint8Array(3 * PAGE).fill('x'.charCodeAt(0));
  m.set(Buffer.from('crossing-pages\0'), PAGE - 5);
  for (let i = 0; i < 3 * PAGE; i++) if (i % 97 === 96 && i > 9000 && i < 3 * PAGE - 8) m[i] = 0;
  return m;
}

/** Expected readCString(base + off, max): the bytes, or the errno name. */
function expectedString(m: Uint8Array, off: number, max: number): string | Buffer {
  for (let i = off; i < off + max; i++) {
    if (i >= m.length) return 'EFAULT';
    if (m[i] === 0) return Buffer.from(m.subarray(off, i));
  }
  return 'ENAMETOOLONG';
}

// /proc/PID/mem and PTRACE_PEEKDATA read with FOLL_FORCE: a PROT_NONE page reads
// (as zeros here) where process_vm_readv, like the kernel for the tracee, faults.
const FORCED = (method: MemoryMethod): boolean => method !== 'process_vm';

describe.each(USERS)('tracee memory as %s', (user) => {
  it.each([
    ['process_vm', { processVm: true }],
    ['proc_mem', { processVm: false }],
    ['peek', { processVm: false, procMem: false }],
  ] as const)('C strings across pages, into PROT_NONE, too long, NULL (%s)', (method, features) => {
    const r = runHarness(user, {
      argv: [fixtures().memory!],
      filter: [GETPPID],
      features,
      strings: { [GETPPID]: 5 },
    });
    expect(r.stdout).toBe('done\n');
    expect(r.result.strings).toEqual([
      [
        { ok: 'crossing-pages' },
        FORCED(method) ? { ok: 'xxx' } : { err: 'EFAULT' },
        { err: 'ENAMETOOLONG' },
        { err: 'EFAULT' },
        { err: 'ENAMETOOLONG' },
      ],
    ]);
  });
});

describe('tracee memory, property-based against a model (seeded)', () => {
  it('readCString, readPartial and write agree with the model for every method', () => {
    const m = model();
    const tracer = new Tracer();
    tracer.launch({
      argv: [fixtures().memory!],
      stdio: ['ignore', 'ignore', 'inherit'],
      filter: traceFilter({ auditArch: 0xc000003e, trace: [GETPPID] }),
    });
    let checked = 0;
    tracer.run({
      syscall(stop) {
        if (stop.nr !== GETPPID) return undefined;
        const base = stop.args[4]!;
        for (const method of METHODS) {
          const mem = new TraceeMemory(method);
          // Forced readers see the PROT_NONE page after the 3 pages as zeros.
          const mm = FORCED(method) ? Buffer.concat([m, Buffer.alloc(PAGE)]) : m;
          fc.assert(
            fc.property(
              fc.integer({ min: 0, max: 3 * PAGE - 1 }),
              fc.integer({ min: 1, max: 4096 }),
              (off, max) => {
                const want = expectedString(mm, off, max);
                let got: string | Buffer;
                try {
                  got = mem.readCString(stop.tid, base + BigInt(off), max);
                } catch (e) {
                  got = (e as ErrnoError).code;
                }
                expect(got).toEqual(want);
                const part = mem.readPartial(stop.tid, base + BigInt(off), max);
                expect(Buffer.from(part)).toEqual(
                  Buffer.from(mm.subarray(off, Math.min(off + max, mm.length))),
                );
              },
            ),
            { seed: 0x5b, numRuns: method === 'peek' ? 60 : 200 },
          );
          // Writes land and read back; a write into the PROT_NONE page fails cleanly.
          const data = Buffer.from(`written-by-${method}\0`);
          mem.write(stop.tid, base + 8000n, data);
          expect(mem.readCString(stop.tid, base + 8000n).toString()).toBe(`written-by-${method}`);
          mem.write(stop.tid, base + 8000n, m.subarray(8000, 8000 + data.length));
          if (method === 'process_vm') {
            expect(() => mem.write(stop.tid, base + BigInt(3 * PAGE), data)).toThrow(/EFAULT/);
          }
          mem.close();
          checked++;
        }
        return undefined;
      },
    });
    expect(checked).toBe(3);
  });
});
