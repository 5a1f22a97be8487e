import { bwrap, firejail, proot, srt, strace, sydbox } from './peers.js';
import { SB_CONTENDERS } from './sb.js';
import type { Contender } from './types.js';

export type { Availability, Contender, DetectEnv, Invocation, WrapContext } from './types.js';

/** The workload as it is: the baseline every ratio is taken against. */
export const native: Contender = {
  id: 'native',
  label: 'native',
  kind: 'baseline',
  supervised: false,
  about: 'no sandbox: the baseline of every ratio',
  commandLine: 'CMD',
  detect: async () => ({ status: 'available', binary: '' }),
  wrap: (cmd) => ({ argv: cmd }),
};

/** Every contender in report order. Adding one is adding an entry here. */
export const CONTENDERS: readonly Contender[] = [
  native,
  ...SB_CONTENDERS,
  bwrap,
  firejail,
  srt,
  proot,
  strace,
  sydbox,
];
