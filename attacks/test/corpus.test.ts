/**
 * The attacker corpus on every backend this kernel can run (features().backend.candidates), as
 * root, and a subset as uid 65534. Prints the table technique x backend/user; any escape that the
 * table does not list as documented fails its row (known sb bugs included: they stay failing
 * until fixed). Races run with a small budget here; SB_ATTACKS_LONG=1 runs them for longer and
 * counts every hit (the rates SECURITY.md quotes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Attack,
  type AttackResult,
  type Built,
  buildCorpus,
  CORPUS,
  expectationFor,
  formatFindings,
  formatTable,
  pool,
  runAttack,
  type User,
  usableBackends,
} from '../src/index.js';

const LONG = process.env.SB_ATTACKS_LONG === '1';
process.env.SB_ATTACK_SECONDS ??= LONG ? '20' : '0.4';
process.env.SB_ATTACK_TRIES ??= LONG ? '100000000' : '2000';
if (LONG) process.env.SB_ATTACK_COUNT_ALL ??= '1';
process.env.SB_BOMB ??= LONG ? '1000' : '100';
const CONCURRENCY = Number(process.env.SB_ATTACK_CONCURRENCY ?? 4);

const backends = usableBackends();
/** uid 65534 runs its subset on the first usable backend (every backend with SB_ATTACKS_ALL_USERS=1). */
const nobodyBackends = process.env.SB_ATTACKS_ALL_USERS === '1' ? backends : backends.slice(0, 1);
const isRoot = process.getuid?.() === 0;

let built: Built;
const results: AttackResult[] = [];
const byKey = new Map<string, AttackResult>();
const key = (a: string, b: string, u: User) => `${a}\0${b}\0${u}`;

const jobs: [Attack, string, User][] = [];
for (const b of backends)
  for (const a of CORPUS) if ((a.users ?? ['root']).includes('root') && isRoot) jobs.push([a, b, 'root']);
for (const b of nobodyBackends)
  for (const a of CORPUS) if ((a.users ?? ['root']).includes('nobody') && isRoot) jobs.push([a, b, 'nobody']);

beforeAll(async () => {
  built = buildCorpus();
  const rs = await pool(jobs, CONCURRENCY, ([a, backend, user]) => runAttack(a, { built, backend, user }));
  for (const r of rs) {
    results.push(r);
    byKey.set(key(r.attack, r.backend, r.user), r);
  }
}, 900_000);

afterAll(() => {
  if (!results.length) return;
  console.log(`\n${formatTable(results)}\n\n${formatFindings(results)}\n`);
});

describe('the corpus', () => {
  it('has at least 60 programs, each in the table once, each category covered', () => {
    const names = CORPUS.map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect([...built.programs.keys()].sort()).toEqual([...names].sort());
  });

  it('finds at least one usable backend here', () => {
    expect(backends.length).toBeGreaterThan(0);
  });
});

describe.runIf(isRoot).each(jobs.map(([a, b, u]) => [`${a.name} on ${b} as ${u}`, a, b, u] as const))(
  '%s',
  (_t, a, backend, user) => {
    it('is blocked, or escapes only as documented', () => {
      const r = byKey.get(key(a.name, backend, user));
      expect(r, 'no result').toBeDefined();
      const e = expectationFor(a, backend);
      const detail = `${r!.says}\nevidence: ${r!.evidence.join('; ') || 'none'}\nexpected: ${JSON.stringify(e)}\noutput:\n${r!.output}`;
      expect(r!.verdict, detail).not.toBe('error');
      expect(r!.verdict, detail).not.toBe('ESCAPED');
      if (e.outcome === 'blocked') expect(r!.escaped, detail).toBe(false);
    });
  },
);
