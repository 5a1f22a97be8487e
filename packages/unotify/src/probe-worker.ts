/**
 * The listener probes, on a throw-away thread: it installs an allow-everything
 * filter with NEW_LISTENER on itself only (no TSYNC; the filter and no_new_privs
 * end with the thread), asks the listener's ioctls with a notification id that
 * does not exist (listener-check.ts), and reports through shared memory.
 */
import { workerData } from 'node:worker_threads';
import koffi from 'koffi';
import { SECCOMP_FILTER_FLAG_NEW_LISTENER, SECCOMP_SET_MODE_FILTER } from './constants.js';
import { askListener } from './listener-check.js';

const out = new Int32Array(workerData.shared as SharedArrayBuffer);
// Only koffi here (no syscall tables): this thread must start fast.
const libc = koffi.load('libc.so.6');
const prctl = libc.func(
  'int prctl(int option, unsigned long a, unsigned long b, unsigned long c, unsigned long d)',
);
const seccomp = libc.func('long syscall(long nr, unsigned long op, unsigned long flags, void *fprog)');
const ioctlRaw = libc.func('int ioctl(int fd, unsigned long req, void *arg)');
const closeRaw = libc.func('int close(int fd)');
const errno = (): number => koffi.errno();
const ioctl = (fd: number, req: number, buf: Uint8Array): number => ioctlRaw(fd, req, buf) as number;
const close = (fd: number): number => closeRaw(fd) as number;
function installFilter(op: number, flags: number, program: Uint8Array): number {
  if ((prctl(38, 1, 0, 0, 0) as number) !== 0) return -1; // PR_SET_NO_NEW_PRIVS
  const fprog = new Uint8Array(16);
  const v = new DataView(fprog.buffer);
  v.setUint16(0, program.length / 8, true);
  v.setBigUint64(8, koffi.address(program as unknown as Buffer) as bigint, true);
  return Number(seccomp(workerData.seccompNr as number, op, flags, fprog));
}
// [0] done, [1] listener errno (0 ok), [2] ADDFD, [3] ADDFD_FLAG_SEND, [4] FLAG_CONTINUE (1 yes, 0 no)
try {
  // One instruction: BPF_RET|BPF_K SECCOMP_RET_ALLOW.
  const allowAll = new Uint8Array(8);
  new DataView(allowAll.buffer).setUint16(0, 0x06, true);
  new DataView(allowAll.buffer).setUint32(4, 0x7fff0000, true);
  const fd = installFilter(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, allowAll);
  if (fd < 0) out[1] = errno() || -1;
  if (fd >= 0) {
    const io = askListener(fd, ioctl, errno);
    out[2] = io.addfd ? 1 : 0;
    out[3] = io.addfdSend ? 1 : 0;
    out[4] = io.continueFlag ? 1 : 0;
    close(fd);
  }
} finally {
  Atomics.store(out, 0, 1);
  Atomics.notify(out, 0);
}
