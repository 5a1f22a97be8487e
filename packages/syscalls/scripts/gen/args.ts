/**
 * Argument lists per ABI: the kernel prototype of the table's entry point, put
 * in register order for the ABI (clone's per-arch order, 64-bit values split
 * into register pairs on 32-bit ABIs), each argument classified by what it
 * means to a sandbox (ArgKind). Heuristics on names and types first, then the
 * explicit OVERRIDES table for what they get wrong.
 */
import type { ArgKind } from '../../src/types.js';
import type { ArchSpec } from './arch-specs.js';
import { isUnnamed, type Param, type Prototypes } from './prototypes.js';
import type { NumberedCall } from './tables.js';

export { loadPrototypes } from './prototypes.js';

/** [name, C type, kind] — compact form written to data/syscall-args.json. */
export type ArgOut = [string, string, ArgKind];

/** `syscall.param` -> kind, applied after the heuristics. Each entry says why. */
export const OVERRIDES: Record<string, ArgKind> = {
  // symlink(2)'s first argument is the link's contents, stored verbatim and never resolved by the call.
  'symlink.oldname': 'string',
  'symlinkat.oldname': 'string',
  // umount(2) takes the mount point's path in a parameter named "name".
  'umount.name': 'path',
  'umount2.name': 'path',
  'oldumount.name': 'path',
  // name_to_handle_at(2) resolves "name" relative to dfd.
  'name_to_handle_at.name': 'path',
  // The non-split prototype names fanotify_mark's base directory "fd"; it is AT_FDCWD-capable like dfd.
  'fanotify_mark.fd': 'dirfd',
  // mount(2): source (a path for bind/move mounts, a device path or a dummy name), target, fs type.
  'mount.dev_name': 'path',
  'mount.dir_name': 'path',
  'mount.type': 'string',
  'mount.data': 'pointer',
  // spu_create(2) (powerpc Cell) creates a directory in spufs.
  'spu_create.name': 'path',
  // open_by_handle_at(2)'s first argument is any fd on the mount, not a base for a path.
  'open_by_handle_at.mountdirfd': 'fd',
  'open_by_handle_at.flags': 'open_flags',
  // execveat(2): fd is the base directory of filename (or the file itself with AT_EMPTY_PATH).
  'execveat.fd': 'dirfd',
  'execveat.flags': 'at_flags',
  // fanotify_init(2)'s second argument holds O_* flags for the event fds.
  'fanotify_init.event_f_flags': 'open_flags',
  // mq_open(2): POSIX message queue name (resolved in the mqueue mount, not the caller's tree) and O_* flags.
  'mq_open.u_name': 'string',
  'mq_open.oflag': 'open_flags',
  'mq_open.mode': 'mode',
  // inotify_add_watch(2) and the xattr calls take their path as "pathname"/"path"; covered by names.
  // move_mount(2) and open_tree(2) name their directory fds from_dfd/to_dfd/dfd; covered by names.
  // setns(2)'s nstype holds CLONE_NEW* bits, as unshare(2)'s flags do.
  'setns.nstype': 'unshare_flags',
  'setns.fd': 'fd',
  // ptrace(2) addr/data are addresses or values depending on the request.
  'ptrace.addr': 'ulong',
  'ptrace.data': 'ulong',
  // kexec_file_load(2)'s command line is a string.
  'kexec_file_load.cmdline_ptr': 'string',
  // access(2)/faccessat(2) mode is R_OK|W_OK|X_OK, not a file mode.
  'access.mode': 'int',
  'faccessat.mode': 'int',
  'faccessat2.mode': 'int',
  // fsconfig(2): value is a string, a path, a blob or an fd depending on cmd; the sandbox must decode cmd.
  'fsconfig.key': 'string',
  'fsconfig.value': 'pointer',
  'fsconfig.aux': 'int',
  // acct(2) names the accounting file in a parameter called "name".
  'acct.name': 'path',
  // Some arches' prototypes call symlink's arguments old/new.
  'symlink.old': 'string',
  'symlink.new': 'path',
  // shmat(2)/shmdt(2) take an attach address typed char __user *: an address, not data.
  'shmat.shmaddr': 'pointer',
  'shmdt.shmaddr': 'pointer',
  // alpha's OSF/1 stat calls take the path as a non-const "name".
  'osf_stat.name': 'path',
  'osf_lstat.name': 'path',
};

/** `const char __user *` parameters (by name) that name a file system path. */
const PATH_NAMES = new Set([
  'filename',
  'pathname',
  'path',
  'oldname',
  'newname',
  'oldpath',
  'newpath',
  'specialfile',
  'special',
  'library',
  'dev_name',
  'dir_name',
  'new_root',
  'put_old',
  'from_pathname',
  'to_pathname',
  'file',
  'dirname',
  'name_p',
  'from_path',
  'to_path',
]);

const BUFFER_NAMES = /^(u?buf\w*|buff|buffer|dirent|ubuf|value|data|msg_ptr|u_msg_ptr)$/;

const DIRFD_NAMES = new Set(['dfd', 'olddfd', 'newdfd', 'dirfd', 'from_dfd', 'to_dfd', 'atfd']);

const FD_NAMES = new Set([
  'fd',
  'ufd',
  'fildes',
  'oldfd',
  'newfd',
  'fd_in',
  'fd_out',
  'in_fd',
  'out_fd',
  'epfd',
  'pidfd',
  'mqdes',
  'fanotify_fd',
  'fs_fd',
  'kernel_fd',
  'initrd_fd',
  'ringfd',
  'group_fd',
  'fd1',
  'fd2',
  'fdin',
  'fdout',
  'ruleset_fd',
]);

/** Calls whose flag(s) argument takes AT_* values. */
const AT_FLAG_CALLS = new Set([
  'fchownat',
  'newfstatat',
  'fstatat64',
  'linkat',
  'unlinkat',
  'utimensat',
  'utimensat_time64',
  'faccessat2',
  'fchmodat2',
  'statx',
  'name_to_handle_at',
  'open_tree',
  'open_tree_attr',
  'mount_setattr',
  'setxattrat',
  'getxattrat',
  'listxattrat',
  'removexattrat',
  'file_getattr',
  'file_setattr',
  'oldfstatat',
]);

const SIGNAL_CALLS = new Set([
  'kill',
  'tkill',
  'tgkill',
  'rt_sigqueueinfo',
  'rt_tgsigqueueinfo',
  'pidfd_send_signal',
  'rt_sigaction',
  'sigaction',
  'signal',
]);

const MMAP_CALLS = new Set(['mmap', 'mmap2', 'old_mmap', 'mmap_pgoff', 'mips_mmap', 'mips_mmap2']);

function isUserPtr(type: string): boolean {
  return type.includes('__user') || type.endsWith('*');
}

function isCharPtr(type: string): boolean {
  return /^(const )?(unsigned )?char __user \*$/.test(type) || /^(const )?char \*$/.test(type);
}

/** Classifies one argument of syscall `call`. `prev` is the argument before it (for sockaddr lengths). */
export function classify(call: string, p: Param, prev: Param | undefined): ArgKind {
  const o = OVERRIDES[`${call}.${p.name}`];
  if (o) return o;
  const { name, type } = p;
  const t = type.replace(/^const /, '');
  // Multiplexers and operation selectors.
  if (call === 'socketcall') return name === 'call' ? 'socketcall_call' : 'socketcall_args';
  if (call === 'ipc' && name === 'call') return 'ipc_call';
  if (call === 'ptrace' && name === 'request') return 'ptrace_request';
  if (call === 'prctl' && name === 'option') return 'prctl_option';
  if (call === 'seccomp' && name === 'op') return 'seccomp_op';
  if ((call === 'socket' || call === 'socketpair') && name === 'family') return 'socket_family';
  if ((call === 'socket' || call === 'socketpair') && name === 'type') return 'socket_type';
  if (call === 'ioctl' && name === 'cmd') return 'ioctl_request';
  if ((call === 'fcntl' || call === 'fcntl64') && name === 'cmd') return 'fcntl_cmd';
  if (call === 'mount' && name === 'flags') return 'mount_flags';
  if ((call === 'umount' || call === 'umount2') && name === 'flags') return 'umount_flags';
  if (call === 'unshare' && name === 'unshare_flags') return 'unshare_flags';
  if (call === 'clone' && name === 'clone_flags') return 'clone_flags';
  if (MMAP_CALLS.has(call) && name === 'prot') return 'mmap_prot';
  if (MMAP_CALLS.has(call) && name === 'flags') return 'mmap_flags';
  if ((call === 'mprotect' || call === 'pkey_mprotect') && name === 'prot') return 'mmap_prot';
  if ((call === 'open' || call === 'openat' || call === 'creat') && name === 'flags') return 'open_flags';
  if (call === 'renameat2' && name === 'flags') return 'rename_flags';
  if (SIGNAL_CALLS.has(call) && name === 'sig') return 'signal';
  if (AT_FLAG_CALLS.has(call) && /^(at_)?flags?$/.test(name)) return 'at_flags';
  if ((call === 'execve' || call === 'execveat') && name === 'argv') return 'argv';
  if ((call === 'execve' || call === 'execveat') && name === 'envp') return 'envp';
  // Structures by type.
  if (/^struct sockaddr __user \*$/.test(t)) return 'sockaddr';
  if (prev && /struct sockaddr __user \*$/.test(prev.type)) {
    if (/^int __user \*$/.test(t)) return 'sockaddr_lenp';
    if (/^(unsigned )?int$/.test(t)) return 'sockaddr_len';
  }
  if (/struct (user|compat)_msghdr __user \*$/.test(t)) return 'msghdr';
  if (/struct (compat_)?mmsghdr __user \*$/.test(t)) return 'mmsghdr';
  if (/struct open_how __user \*$/.test(t)) return 'open_how';
  if (/struct clone_args __user \*$/.test(t)) return 'clone_args';
  // Strings.
  if (isCharPtr(type)) {
    if (PATH_NAMES.has(name)) return 'path';
    // Named like a buffer, or written by the kernel (not const): bytes with a length, not a C string.
    if (BUFFER_NAMES.test(name) || !type.startsWith('const')) return 'buffer';
    return 'string';
  }
  // Scalars by name and type.
  if (DIRFD_NAMES.has(name) && !isUserPtr(t)) return 'dirfd';
  if (FD_NAMES.has(name) && !isUserPtr(t)) return 'fd';
  if (t === 'umode_t') return 'mode';
  if (/^(pid_t|compat_pid_t)$/.test(t)) return 'pid';
  // ptrace(2) and a few others pass pids as plain long/int.
  if (/^(pid|upid|tgid|tid|pgid)$/.test(name) && !isUserPtr(t)) return 'pid';
  if (/^(old_)?uid_t$|^uid16_t$/.test(t)) return 'uid';
  if (/^(old_)?gid_t$|^gid16_t$/.test(t)) return 'gid';
  if (/^(compat_)?size_t$/.test(t)) return 'size';
  if (isUserPtr(t)) return BUFFER_NAMES.test(name) && /^(void|char)/.test(t) ? 'buffer' : 'pointer';
  if (/\blong\b/.test(t) || /^u64|^__u64|^s64|^loff_t/.test(t)) return 'ulong';
  return 'int';
}

const WIDE =
  /^(const )?(loff_t|u64|__u64|s64|__s64|long long|unsigned long long|__kernel_loff_t|compat_u64)$/;

/** Whether this ABI's registers are 32 bits wide (x32 and mips n32 have 64-bit registers). */
function narrowRegisters(spec: ArchSpec): boolean {
  return spec.bits === 32 && spec.name !== 'x32' && !spec.name.endsWith('n32');
}

/** Expands 64-bit values into register pairs (with the ABI's even-register alignment). */
export function registerSlots(spec: ArchSpec, endian: 'little' | 'big', params: Param[]): Param[] {
  if (!narrowRegisters(spec) || !params.some((p) => WIDE.test(p.type))) return params;
  const out: Param[] = [];
  for (const p of params) {
    if (!WIDE.test(p.type)) {
      out.push(p);
      continue;
    }
    if (spec.alignPairs && out.length % 2 === 1) out.push({ name: 'pad', type: 'u32' });
    const lo = { name: `${p.name}_lo`, type: 'u32' };
    const hi = { name: `${p.name}_hi`, type: 'u32' };
    // The pair is the value's two words in memory order: high word first on big-endian ABIs.
    out.push(...(endian === 'big' ? [hi, lo] : [lo, hi]));
  }
  return out;
}

/** clone's parameters on this ABI: the CLONE_BACKWARDS* variant its Kconfig selects. */
function cloneParams(spec: ArchSpec, protos: Prototypes): Param[] {
  // A select under `config X86_32` is about 32-bit kernels: it governs i386 (also as compat), not x32.
  const width = narrowRegisters(spec) ? 32 : 64;
  const selected = (protos.cloneConfig.get(spec.archDir) ?? []).filter(
    (c) => c.bits === null || c.bits === width,
  );
  // sparc's clone reads its own registers (arch/sparc/kernel/process.c: ptid in %i2, tls in %i3,
  // ctid in %i4), which is the CLONE_BACKWARDS order without selecting the option.
  const option = spec.archDir === 'sparc' ? 'CONFIG_CLONE_BACKWARDS' : (selected[0]?.option ?? 'default');
  return protos.clone.get(option)!;
}

/**
 * ARM's private calls (__ARM_NR_*) are decoded by arm_syscall() in
 * arch/arm/kernel/traps.c from r0-r2, not declared with SYSCALL_DEFINE.
 */
const ARM_PRIVATE: Record<string, Param[]> = {
  breakpoint: [],
  cacheflush: [
    { name: 'start', type: 'unsigned long' },
    { name: 'end', type: 'unsigned long' },
    { name: 'flags', type: 'int' },
  ],
  usr26: [],
  usr32: [],
  set_tls: [{ name: 'val', type: 'unsigned long' }],
  get_tls: [],
};

function lookup(spec: ArchSpec, call: NumberedCall, protos: Prototypes): Param[] | undefined {
  if (call.name === 'clone') return cloneParams(spec, protos);
  if (call.entry?.startsWith('arm_private_')) return ARM_PRIVATE[call.name];
  const own = protos.arch.get(spec.archDir);
  const names: string[] = [];
  if (call.entry) {
    const e = call.entry.replace(/^__/, '');
    names.push(e, e.replace(/^compat_sys_/, 'sys_'));
  }
  names.push(`sys_${call.name}`);
  // Prefer a declaration that names its parameters (compat.h often does not).
  const found = names
    .map((n) => own?.get(n) ?? protos.global.get(n))
    .filter((p): p is Param[] => p !== undefined);
  return found.find((p) => !p.some(isUnnamed)) ?? found[0];
}

/** The arguments, or null when no prototype is known (the row records "unknown", not "none"). */
export function argsFor(
  spec: ArchSpec,
  endian: 'little' | 'big',
  call: NumberedCall,
  protos: Prototypes,
): ArgOut[] | null {
  const params = lookup(spec, call, protos);
  if (!params) return null;
  const slots = registerSlots(spec, endian, params);
  return slots.map((p, i) => [
    // Unnamed in every declaration the kernel has: name it by position.
    isUnnamed(p) ? `arg${i}` : p.name,
    p.type,
    p.name === 'pad' ? 'int' : classify(call.name, p, slots[i - 1]),
  ]);
}
