/**
 * Presence of the newer syscalls sb uses, each tried with arguments that change
 * nothing: any answer but ENOSYS means the kernel has it. Numbers are x86_64's
 * (the guest is x86_64), taken from @sb/syscalls.
 */
import { syscallByName } from '@sb/syscalls';
import { close, sys } from '../libc.js';

const ENOSYS = 38;

function nr(name: string): number {
  const s = syscallByName('x86_64', name);
  if (s === undefined) throw new Error(`@sb/syscalls has no x86_64 ${name}`);
  return s.nr;
}

export function probeSyscalls(): Record<string, boolean> {
  const has = (r: { ret: number; errno: number }) => r.errno !== ENOSYS;
  const out: Record<string, boolean> = {};
  // pidfd_open(own pid, 0) returns an fd to close.
  const pidfd = sys(nr('pidfd_open'), process.pid, 0);
  if (pidfd.ret >= 0) close(pidfd.ret);
  out['syscall.pidfd_open'] = has(pidfd);
  // pidfd_getfd(-1, ...): EBADF where it exists.
  out['syscall.pidfd_getfd'] = has(sys(nr('pidfd_getfd'), -1, 0, 0));
  // openat2(AT_FDCWD, NULL, NULL, 0): EINVAL (size too small) where it exists.
  out['syscall.openat2'] = has(sys(nr('openat2'), -100, 0, 0));
  // close_range(~0U - 1, ~0U, 0): closes nothing.
  out['syscall.close_range'] = has(sys(nr('close_range'), 0xfffffffe, 0xffffffff, 0));
  // clone3(NULL, 0): EINVAL (size below CLONE_ARGS_SIZE_VER0) where it exists; no child.
  out['syscall.clone3'] = has(sys(nr('clone3'), 0, 0));
  // process_vm_readv with no iovecs: 0 where it exists.
  out['syscall.process_vm_readv'] = has(sys(nr('process_vm_readv'), process.pid, 0, 0, 0, 0, 0));
  // getrandom(NULL, 0, 0): 0 where it exists (what Node needs to start without entropy help).
  out['syscall.getrandom'] = has(sys(nr('getrandom'), 0, 0, 0));
  return out;
}
