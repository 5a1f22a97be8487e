/**
 * Public types of @sb/syscalls. Other packages (@sb/bpf, @sb/policy, @sb/ptrace)
 * code against these; keep them stable.
 */

export type Endian = 'little' | 'big';

/** Canonical architecture (ABI) names. An ABI, not a CPU: x86_64, x32 and i386 are three. */
export type ArchName = string;

export interface Multiplexer {
  /** The multiplexing syscall's own number on this ABI. */
  readonly nr: number;
  /** Sub-call name -> sub-call number (first argument), e.g. socketcall: { socket: 1, bind: 2, ... }. */
  readonly calls: Readonly<Record<string, number>>;
}

export interface Arch {
  /** Canonical name, e.g. 'x86_64', 'i386', 'x32', 'aarch64', 'arm', 'riscv64', 'mips64n32'. */
  readonly name: ArchName;
  /** Other accepted spellings (libseccomp, Debian, uname -m, Go/Node names): 'amd64', 'x86-64', 'arm64', ... */
  readonly aliases: readonly string[];
  /** AUDIT_ARCH_* value as the kernel puts it in seccomp_data.arch (unsigned 32-bit). */
  readonly auditArch: number;
  /** The AUDIT_ARCH_* macro name. */
  readonly auditArchName: string;
  readonly bits: 32 | 64;
  readonly endian: Endian;
  /** Bit ORed into every syscall number of this ABI (x32: 0x40000000), else 0. Table numbers include it. */
  readonly syscallBit: number;
  /** Base added to every number (mips o32 4000, n64 5000, n32 6000), else 0. Table numbers include it. */
  readonly syscallBase: number;
  /** Kernel version that first supported this ABI. */
  readonly introduced: string;
  /** socketcall(2) / ipc(2) multiplexers where this ABI has them. */
  readonly multiplexers: { readonly socketcall?: Multiplexer; readonly ipc?: Multiplexer };
}

/** What an argument means to a sandbox. 'int', 'ulong', 'pointer' cover the rest. */
export type ArgKind =
  | 'path' // const char __user * naming a file system path
  | 'dirfd' // base directory fd for a *at path (AT_FDCWD allowed)
  | 'fd'
  | 'open_flags'
  | 'open_how' // struct open_how * (openat2)
  | 'mode'
  | 'at_flags' // AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH, AT_REMOVEDIR ...
  | 'rename_flags'
  | 'sockaddr' // struct sockaddr __user *
  | 'sockaddr_len'
  | 'sockaddr_lenp' // int __user * (accept, getsockname)
  | 'msghdr'
  | 'mmsghdr'
  | 'argv'
  | 'envp'
  | 'clone_flags'
  | 'clone_args' // struct clone_args * (clone3)
  | 'ptrace_request'
  | 'prctl_option'
  | 'seccomp_op'
  | 'socket_family'
  | 'socket_type'
  | 'ioctl_request'
  | 'fcntl_cmd'
  | 'mount_flags'
  | 'umount_flags'
  | 'unshare_flags'
  | 'mmap_prot'
  | 'mmap_flags'
  | 'pid'
  | 'uid'
  | 'gid'
  | 'signal'
  | 'socketcall_call' // socketcall's first argument
  | 'socketcall_args' // socketcall's unsigned long __user * args
  | 'ipc_call'
  | 'buffer' // user memory of a given size
  | 'string' // a C string that is not a path (xattr name, fs type)
  | 'size'
  | 'pointer'
  | 'int'
  | 'ulong';

export interface SyscallArg {
  /** Parameter name as in the kernel's prototype. */
  readonly name: string;
  /** C type as in the kernel's prototype, e.g. 'const char __user *'. */
  readonly type: string;
  readonly kind: ArgKind;
}

export interface Syscall {
  readonly name: string;
  /** Number on this ABI, including syscallBit and syscallBase. */
  readonly nr: number;
  readonly arch: ArchName;
  /**
   * Arguments in register order for this ABI: clone's order differs per
   * architecture, and on ABIs with 32-bit registers a 64-bit value takes two
   * slots ('pos_lo'/'pos_hi', with a 'pad' slot where the ABI aligns pairs).
   * Empty when the call takes none or when unknown (see argsKnown).
   */
  readonly args: readonly SyscallArg[];
  /** False when no prototype is known for this call on this ABI: args is empty for lack of data. */
  readonly argsKnown: boolean;
  /** First kernel version with this call on this ABI ('2.6.16'), or null when not known. */
  readonly since: string | null;
  /** The syscall groups ('@file-system', ...) this call belongs to, directly or through a nested group. */
  readonly groups: readonly string[];
  /**
   * False when the kernel reserves the number but implements nothing on this ABI
   * (the table's entry is missing or sys_ni_syscall): the call always fails with ENOSYS.
   */
  readonly implemented: boolean;
}

export interface SyscallGroup {
  /** '@file-system', with the '@'. */
  readonly name: string;
  readonly description: string;
  /** Syscall names and nested group names ('@signal'), as written in the source. */
  readonly members: readonly string[];
}

export interface NamedNumber {
  readonly name: string;
  readonly number: number;
  readonly description?: string;
  /** Set when this name is another spelling of the named one (EWOULDBLOCK -> EAGAIN, SIGIOT -> SIGABRT). */
  readonly aliasOf?: string;
}
