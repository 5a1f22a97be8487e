/**
 * The in-guest suite: probes what the kernel offers, the way sb's own packages do
 * (@sb/bpf's probeSeccomp, @sb/ptrace's probe) plus the probes in ./probes/ for
 * what no package probes yet (namespaces, Landlock, newer syscalls), and prints
 * the flat feature map between console markers (../markers.ts).
 *
 * Run by /init as `node suite.js LABEL` once as root and once as an ordinary user,
 * possibly under an emulation filter. Later: `sb features --json` and the
 * enforcement smoke suite join here.
 */
import { probeSeccomp } from '@sb/bpf';
import { probe as probePtrace } from '@sb/ptrace';
import { encodeResult } from '../markers.js';
import type { FeatureMap, GuestResult } from '../types.js';
import { probeLandlock } from './probes/landlock.js';
import { probeNamespaces } from './probes/namespaces.js';
import { probeSyscalls } from './probes/syscalls.js';

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
  // Last: the cgroup and time probes move this process into new namespaces.
  ['ns', () => probeNamespaces(isRoot)],
];

function main(): void {
  const label = process.argv[2] ?? (isRoot ? 'root' : 'user');
  const started = Date.now();
  const features: FeatureMap = {};
  const errors: string[] = [];
  for (const [name, run] of SOURCES) {
    try {
      Object.assign(features, run());
    } catch (e) {
      // A probe that throws is a failure of that source, shown as such, never a guess.
      errors.push(`${name}: ${(e as Error).stack ?? String(e)}`);
      features[`${name}.error`] = (e as Error).message;
    }
  }
  const result: GuestResult = {
    label,
    uid: process.getuid?.() ?? -1,
    node: process.version,
    features,
    errors,
    ms: Date.now() - started,
  };
  process.stdout.write(`${encodeResult(label, result).join('\n')}\n`);
}

main();
