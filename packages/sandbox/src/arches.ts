/**
 * The ABIs a process on this machine can use: the native one and its compat
 * ABIs. The filter names each; any other AUDIT_ARCH is killed in the kernel.
 */
import { nativeArch } from '@sb/syscalls';

/** Native ABI -> every ABI its processes can issue syscalls with (native first: the hot path). */
const COMPAT: Readonly<Record<string, readonly string[]>> = {
  x86_64: ['x86_64', 'i386', 'x32'],
  aarch64: ['aarch64', 'arm'],
};

/** The ABIs of this machine, native first. */
export function hostAbis(): string[] {
  const native = nativeArch().name;
  return [...(COMPAT[native] ?? [native])];
}
