import { openCloseWorkload } from './open-close.js';

/**
 * Opens for writing, in WORK: every sandbox that checks writes decides each one (sb's filter
 * traps it, and the contenders' policies allow WORK). The per-decision cost, undiluted.
 */
export const writeMicro = openCloseWorkload(
  'write-micro',
  'O_WRONLY | O_CLOEXEC',
  '100,000 open-for-writing+close of one file in WORK (a generated C program, gcc -O2): each a checked call',
);
