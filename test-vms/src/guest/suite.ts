/**
 * The in-guest suite. sb's detection is what is tested: `sb features --json` (the
 * real CLI, apps/sb) gives the feature map compared with expected/<kernel>.json;
 * the suite's own probes (@sb/bpf's probeSeccomp, @sb/ptrace's probe and ./probes/)
 * only cross-check it, feature by feature, and fill in what sb does not report
 * (syscall.getrandom). Then the enforcement smoke suite (./enforce.ts) runs `sb run`
 * on every backend sb calls usable. Everything is printed between console markers
 * (../markers.ts).
 *
 * Run by /init as `node suite.js LABEL` once as root and once as an ordinary user,
 * possibly under an emulation filter (which `sb` inherits).
 */
import { probeSeccomp } from '@sb/bpf';
import { probe as probePtrace } from '@sb/ptrace';
import { encodeResult, STEP } from '../markers.js';
import type { FeatureMap, GuestResult } from '../types.js';
import { enforcement, workDir } from './enforce.js';
import { probeLandlock } from './probes/landlock.js';
import { probeNamespaces } from './probes/namespaces.js';
import { probeSyscalls } from './probes/syscalls.js';
import { flattenFeatures, sbFeatures } from './sb.js';

function seccompFeatures(): FeatureMap {
  const f = probeSeccomp();
  const out: FeatureMap = { 'seccomp.filterMode': f.filterMode, 'seccomp.syscall': f.seccompSyscall };
  for (const [name, ok] of Object.entries(f.actions)) out[`seccomp.action.${name}`] = ok;
  for (const [name, ok] of Object.entries(f.flags)) out[`seccomp.flag.${name}`] = ok;
  out['seccomp.notifSizes'] =
    f.notifSizes === null ? null : `${f.notifSizes.notif}/${f.notifSizes.resp}/${f.notifSizes.data}`;
  return out;
}

function ptraceFeatures(): FeatureMap {
  const f = probePtrace();
  return {
    'ptrace.seize': f.seize,
    'ptrace.traceSeccomp': f.traceSeccomp,
    'ptrace.exitKill': f.exitKill,
    'ptrace.syscallInfo': f.syscallInfo,
    'ptrace.processVm': f.processVm,
    'ptrace.procMem': f.procMem,
    'ptrace.seccompOrder': f.seccompOrder,
    'ptrace.seccompRetData': f.seccompRetData,
  };
}

const isRoot = process.getuid?.() === 0;
const SOURCES: [string, () => FeatureMap][] = [
  ['seccomp', seccompFeatures],
  ['ptrace', ptraceFeatures],
  ['syscall', probeSyscalls],
  ['landlock', probeLandlock],
  ['ns', () => probeNamespaces(isRoot)],
];

/** Where the guest keeps the fixtures; SB_PROBE and SB_DENY_EXEC override (the host test). */
const PROBE = process.env.SB_PROBE ?? '/sbin/sb-probe';
const DENY_EXEC = process.env.SB_DENY_EXEC ?? '/bin/busybox';

async function main(): Promise<void> {
  const label = process.argv[2] ?? (isRoot ? 'root' : 'user');
  const started = Date.now();
  const probes: FeatureMap = {};
  const errors: string[] = [];
  const fail = (name: string, e: unknown, into: FeatureMap) => {
    // A probe that throws is a failure of that source, shown as such, never a guess.
    errors.push(`${name}: ${(e as Error).stack ?? String(e)}`);
    into[`${name}.error`] = (e as Error).message;
  };
  let features: FeatureMap = {};
  let enforced: FeatureMap = {};
  const step = (what: string) =>
    process.stderr.write(`${STEP} ${label} ${what} (+${Math.round((Date.now() - started) / 1000)}s)\n`);
  try {
    step('sb features --json');
    const sb = await sbFeatures();
    features = flattenFeatures(sb);
    // SB_ENFORCE=0: features only (the host test under emulation filters; the VMs always enforce).
    if (process.env.SB_ENFORCE !== '0')
      try {
        enforced = await enforcement(sb, {
          probe: PROBE,
          denyExec: DENY_EXEC,
          work: workDir(process.env.TMPDIR ?? '/tmp'),
          timeoutMs: Number(process.env.SB_RUN_TIMEOUT ?? 300) * 1000,
          step,
        });
      } catch (e) {
        fail('enforce', e, enforced);
      }
  } catch (e) {
    fail('sb', e, features);
  }
  step("the suite's own probes");
  for (const [name, run] of SOURCES) {
    try {
      Object.assign(probes, run());
    } catch (e) {
      fail(name, e, probes);
    }
  }
  // What sb does not report comes from the suite's probes (and is marked so in the README);
  // never all of it: when sb fails, its features stay missing and the cell fails.
  if (!Object.hasOwn(features, 'sb.error'))
    for (const [k, v] of Object.entries(probes)) if (!Object.hasOwn(features, k)) features[k] = v;
  const result: GuestResult = {
    label,
    uid: process.getuid?.() ?? -1,
    node: process.version,
    features: { ...features, ...enforced },
    probes,
    errors,
    ms: Date.now() - started,
  };
  process.stdout.write(`${encodeResult(label, result).join('\n')}\n`);
}

await main();
