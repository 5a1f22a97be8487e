import { openCloseWorkload } from './open-close.js';

/** Read-only opens: what a sandbox pays for calls its policy does not check (sb's filter lets them through). */
export const syscallMicro = openCloseWorkload(
  'syscall-micro',
  'O_RDONLY | O_CLOEXEC',
  '100,000 open+close of one file (a generated C program, gcc -O2)',
);
