/**
 * System calls that change the caller's address space, or make a process from it. A stub
 * that shares this process's memory (CLONE_VM, see stub.ts) must never make one: it would
 * map, unmap or protect Node's own memory.
 */
import { syscallByName } from '@sb/syscalls';

const CHANGES_MEMORY = new Set([
  'mmap',
  'mmap2',
  'munmap',
  'mremap',
  'mprotect',
  'pkey_mprotect',
  'brk',
  'madvise',
  'process_madvise',
  'remap_file_pages',
  'shmat',
  'shmdt',
  'io_uring_setup',
  'userfaultfd',
  'modify_ldt',
  'clone',
  'clone3',
  'fork',
  'vfork',
]);

const PR_SET_MM = 35n;

/** By name; `prctl` only for PR_SET_MM, or when its option is not a plain number. */
export function changesMemory(name: string, firstArg: unknown): boolean {
  if (CHANGES_MEMORY.has(name)) return true;
  return name === 'prctl' && (typeof firstArg !== 'bigint' || firstArg === PR_SET_MM);
}

const byNumber = new Map<string, Set<number>>();

/** The same, by the number of an ABI's call (for calls injected by number). */
export function changesMemoryNr(abi: string, nr: number, firstArg: bigint | undefined): boolean {
  let nrs = byNumber.get(abi);
  if (nrs === undefined) {
    nrs = new Set<number>();
    for (const name of CHANGES_MEMORY) {
      const sc = syscallByName(abi, name);
      if (sc) nrs.add(sc.nr);
    }
    byNumber.set(abi, nrs);
  }
  if (nrs.has(nr)) return true;
  return syscallByName(abi, 'prctl')?.nr === nr && firstArg === PR_SET_MM;
}
