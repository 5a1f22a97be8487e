/**
 * The guest suite on the machine's own kernel, without QEMU: its probes must agree
 * with expected/history.json at the running version, as root and as an ordinary
 * user, and under each emulation filter with that personality's expectations (what
 * the VMs check, minus the boot). The running version is read only to pick the
 * expectations, as an oracle; the probes never look at it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulationFilter } from '../src/emulation.js';
import { NOT_EMULATED } from '../src/emulation-data.js';
import { expectedFor, judgeResult, loadHistory } from '../src/expected.js';
import { buildFixture, PACKAGE_DIR } from '../src/initramfs.js';
import { PERSONALITIES } from '../src/kernels.js';
import { parseConsole } from '../src/markers.js';
import type { FeatureMap, GuestResult, UserLabel } from '../src/types.js';

const history = loadHistory(join(PACKAGE_DIR, 'expected', 'history.json'));
const release = readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
const hostVersion = /^\d+\.\d+/.exec(release)?.[0] ?? '0.0';
const tmp = mkdtempSync(join(tmpdir(), 'sb-test-vms-host-'));
const runAs = buildFixture(tmp, 'run-as');
const probe = buildFixture(tmp, 'probe');
// The ordinary user runs sb-probe from here.
chmodSync(tmp, 0o755);
const suite = join(PACKAGE_DIR, 'src', 'guest', 'suite.ts');

/** Without the enforcement suite's expectations (SB_ENFORCE=0). */
const featuresOnly = (m: FeatureMap): FeatureMap =>
  Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('enforce.')));

function runSuite(user: UserLabel, filter?: string): GuestResult {
  const ids = user === 'user' ? ['-u', '65534', '-g', '65534'] : [];
  const emulate = filter === undefined ? [] : ['-o', '-f', filter];
  const out = execFileSync(
    runAs,
    [...ids, ...emulate, '--', process.execPath, '--import', 'tsx', suite, user],
    {
      encoding: 'utf8',
      cwd: PACKAGE_DIR,
      // Every usable backend runs several `sb run`s: minutes on a loaded CI machine.
      timeout: 840_000,
      env: {
        ...process.env,
        SB_PROBE: probe,
        SB_DENY_EXEC: '/bin/busybox',
        SB_RUN_TIMEOUT: '60',
        // Enforcement on the host's own kernel; under the emulation filters the VMs' 3.5/3.8 cells run it.
        SB_ENFORCE: filter === undefined ? '1' : '0',
      },
    },
  );
  const parsed = parseConsole(out);
  expect(parsed.errors).toEqual([]);
  const r = parsed.results.get(user) as GuestResult | undefined;
  if (r === undefined) throw new Error(`no result in:\n${out}`);
  return r;
}

const asRoot = process.getuid?.() === 0;

/**
 * Whether this kernel runs i386 system calls (CONFIG_IA32_EMULATION, and not turned off at
 * boot): the probe's int 0x80 write, unsandboxed. The VMs' Debian kernels all do; a host
 * that does not expects the int 0x80 checks to say so ('no-ia32') instead of 'denied'.
 */
function hostExpected(user: UserLabel): FeatureMap {
  const out = execFileSync(probe, ['int80-write', join(tmp, 'int80-control')], { encoding: 'utf8' });
  const e = { ...expectedFor(history, hostVersion)[user] };
  if (out.trim() === 'int80-write=SIGSEGV') {
    // The template and any backend's own entry (enforce.landlock.int80): where they expect the
    // call to run and be denied, this kernel cannot run it.
    for (const k of Object.keys(e))
      if (/^enforce\.(.+\.)?int80$/.test(k) && e[k] === 'denied') e[k] = 'no-ia32';
  }
  return e;
}

describe.runIf(asRoot)(`guest suite on this machine's kernel (${release})`, () => {
  it.each(['root', 'user'] as const)(
    'as %s: what history says for this version',
    (user) => {
      const r = runSuite(user);
      expect(judgeResult(hostExpected(user), r, user).problems).toEqual([]);
    },
    900_000,
  );

  describe.each(PERSONALITIES)('under the %s emulation filter', (version) => {
    const filter = join(tmp, `emulate-${version}.bpf`);
    writeFileSync(filter, emulationFilter(version).bytes);
    it.each(['root', 'user'] as const)(
      'as %s: what history says for the personality',
      (user) => {
        const r = runSuite(user, filter);
        const skip = new Set(NOT_EMULATED.map((n) => n.feature));
        expect(
          judgeResult(featuresOnly(expectedFor(history, version)[user]), r, user, skip).problems,
        ).toEqual([]);
      },
      300_000,
    );
  });
});
