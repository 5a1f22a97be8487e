/** wait(2) status decoding (the glibc macros). */
export const exited = (s: number): boolean => (s & 0x7f) === 0;
export const exitStatus = (s: number): number => (s >> 8) & 0xff;
export const signaled = (s: number): boolean =>
  ((s & 0x7f) + 1) >> 1 > 0 && (s & 0x7f) !== 0x7f && (s & 0x7f) !== 0;
export const termSig = (s: number): number => s & 0x7f;
export const stopped = (s: number): boolean => (s & 0xff) === 0x7f;
export const stopSig = (s: number): number => (s >> 8) & 0xff;
/** PTRACE_EVENT_* of a ptrace-stop (0 for none). */
export const ptraceEvent = (s: number): number => (s >> 16) & 0xff;
export const coreDumped = (s: number): boolean => (s & 0x80) !== 0;
