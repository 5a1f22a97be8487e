/**
 * strace-like rendering of a syscall stop: arguments decoded by what they mean
 * (the `kind` of @sb/syscalls' argument tables), read from tracee memory at the
 * entry stop. Unreadable memory is shown as the raw pointer, never guessed.
 */
import type { AbiName } from './arch/types.js';
import type { TraceeMemory } from './memory.js';
import { errnoName } from './native.js';

/** The shape of an @sb/syscalls Syscall this module needs. */
export interface SyscallMeta {
  readonly name: string;
  readonly args: readonly { readonly name: string; readonly kind: string }[];
}

export interface DecodedArg {
  readonly name: string;
  readonly kind: string;
  /** The raw register value. */
  readonly raw: bigint;
  /** strace-like text. */
  readonly text: string;
  /** For path/string kinds: the bytes read (latin1 in JSON), when readable. */
  readonly bytes?: Buffer;
  /** For path/string kinds: why it could not be read (EFAULT, ENAMETOOLONG). */
  readonly error?: string;
}

type FlagTable = readonly (readonly [string, number])[];

const O_X86: FlagTable = [
  ['O_CREAT', 0o100],
  ['O_EXCL', 0o200],
  ['O_NOCTTY', 0o400],
  ['O_TRUNC', 0o1000],
  ['O_APPEND', 0o2000],
  ['O_NONBLOCK', 0o4000],
  ['O_DSYNC', 0o10000],
  ['O_ASYNC', 0o20000],
  ['O_DIRECT', 0o40000],
  ['O_LARGEFILE', 0o100000],
  ['O_DIRECTORY', 0o200000],
  ['O_NOFOLLOW', 0o400000],
  ['O_NOATIME', 0o1000000],
  ['O_CLOEXEC', 0o2000000],
  ['__O_SYNC', 0o4000000],
  ['O_PATH', 0o10000000],
  ['__O_TMPFILE', 0o20000000],
];
// arm and aarch64 swap four of them.
const O_ARM: FlagTable = O_X86.map(([n, v]): readonly [string, number] => {
  const arm: Record<string, number> = {
    O_DIRECTORY: 0o40000,
    O_NOFOLLOW: 0o100000,
    O_DIRECT: 0o200000,
    O_LARGEFILE: 0o400000,
  };
  return [n, arm[n] ?? v];
});

const AT_FLAGS: FlagTable = [
  ['AT_SYMLINK_NOFOLLOW', 0x100],
  ['AT_REMOVEDIR', 0x200],
  ['AT_SYMLINK_FOLLOW', 0x400],
  ['AT_NO_AUTOMOUNT', 0x800],
  ['AT_EMPTY_PATH', 0x1000],
];

const CLONE_FLAGS: FlagTable = [
  ['CLONE_VM', 0x100],
  ['CLONE_FS', 0x200],
  ['CLONE_FILES', 0x400],
  ['CLONE_SIGHAND', 0x800],
  ['CLONE_PIDFD', 0x1000],
  ['CLONE_PTRACE', 0x2000],
  ['CLONE_VFORK', 0x4000],
  ['CLONE_PARENT', 0x8000],
  ['CLONE_THREAD', 0x10000],
  ['CLONE_NEWNS', 0x20000],
  ['CLONE_SYSVSEM', 0x40000],
  ['CLONE_SETTLS', 0x80000],
  ['CLONE_PARENT_SETTID', 0x100000],
  ['CLONE_CHILD_CLEARTID', 0x200000],
  ['CLONE_DETACHED', 0x400000],
  ['CLONE_UNTRACED', 0x800000],
  ['CLONE_CHILD_SETTID', 0x1000000],
  ['CLONE_NEWCGROUP', 0x2000000],
  ['CLONE_NEWUTS', 0x4000000],
  ['CLONE_NEWIPC', 0x8000000],
  ['CLONE_NEWUSER', 0x10000000],
  ['CLONE_NEWPID', 0x20000000],
  ['CLONE_NEWNET', 0x40000000],
  ['CLONE_IO', 0x80000000],
];

const PROT: FlagTable = [
  ['PROT_READ', 1],
  ['PROT_WRITE', 2],
  ['PROT_EXEC', 4],
];

const SIGNALS = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

/** Signal name on x86 and the generic (arm, aarch64, riscv) numbering. */
export function signalName(n: number): string {
  if (n > 0 && n < SIGNALS.length) return SIGNALS[n]!;
  if (n >= 32 && n <= 64) return `SIGRT_${n - 32}`;
  return String(n);
}

/** `A|B|0x40` from a flag table; `zero` when nothing is set. */
export function flags(value: bigint, table: FlagTable, zero = '0'): string {
  let rest = value;
  const out: string[] = [];
  for (const [name, bit] of table) {
    const b = BigInt(bit);
    if ((rest & b) === b && b !== 0n) {
      out.push(name);
      rest &= ~b;
    }
  }
  if (rest !== 0n) out.push(`0x${rest.toString(16)}`);
  return out.length === 0 ? zero : out.join('|');
}

export function openFlags(value: bigint, abi: AbiName | null): string {
  const v = BigInt.asUintN(32, value);
  const acc = v & 3n;
  const mode = acc === 0n ? 'O_RDONLY' : acc === 1n ? 'O_WRONLY' : acc === 2n ? 'O_RDWR' : 'O_ACCMODE';
  const table = abi === 'aarch64' || abi === 'arm' ? O_ARM : O_X86;
  const rest = flags(v & ~3n, table, '');
  return rest === '' ? mode : `${mode}|${rest}`;
}

export function cloneFlags(value: bigint): string {
  const v = BigInt.asUintN(64, value);
  const sig = Number(v & 0xffn);
  const rest = flags(v & ~0xffn, CLONE_FLAGS, '');
  const parts = [rest, sig === 0 ? '' : signalName(sig)].filter((p) => p !== '');
  return parts.length === 0 ? '0' : parts.join('|');
}

/** A C string the way strace shows it: quoted, escaped, cut at `max` bytes with `...`. */
export function quote(bytes: Uint8Array, max = Number.POSITIVE_INFINITY): string {
  let s = '"';
  const n = Math.min(bytes.length, max);
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 0x22) s += '\\"';
    else if (c === 0x5c) s += '\\\\';
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x09) s += '\\t';
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `${s}"${bytes.length > n ? '...' : ''}`;
}

const hex = (v: bigint): string => (v === 0n ? 'NULL' : `0x${BigInt.asUintN(64, v).toString(16)}`);
const int32 = (v: bigint): string => String(BigInt.asIntN(32, v));

function readString(
  mem: TraceeMemory,
  tid: number,
  v: bigint,
  max: number,
): { bytes?: Buffer; error?: string } {
  try {
    return { bytes: mem.readCString(tid, v, max) };
  } catch (e) {
    return { error: (e as { code?: string }).code ?? 'EFAULT' };
  }
}

function readPointerArray(mem: TraceeMemory, tid: number, addr: bigint, wordSize: 4 | 8, limit = 32): string {
  if (addr === 0n) return 'NULL';
  const items: string[] = [];
  for (let i = 0; i < limit; i++) {
    let p: bigint;
    try {
      const b = mem.read(tid, addr + BigInt(i * wordSize), wordSize);
      p = wordSize === 8 ? b.readBigUInt64LE(0) : BigInt(b.readUInt32LE(0));
    } catch {
      return hex(addr);
    }
    if (p === 0n) return `[${items.join(', ')}]`;
    const s = readString(mem, tid, p, 4096);
    items.push(s.bytes !== undefined ? quote(s.bytes, 64) : hex(p));
  }
  return `[${items.join(', ')}, ...]`;
}

/** Decodes the arguments of a stop. Unknown tables (args empty) show the six registers in hex. */
export function decodeArgs(
  meta: SyscallMeta | undefined,
  abi: AbiName | null,
  args: readonly bigint[],
  mem: TraceeMemory,
  tid: number,
): DecodedArg[] {
  const wordSize = abi === 'i386' || abi === 'arm' || abi === 'x32' ? 4 : 8;
  if (meta === undefined || meta.args.length === 0) {
    return args.map((raw, i) => ({ name: `arg${i}`, kind: 'ulong', raw, text: hex(raw) }));
  }
  return meta.args.map((a, i) => {
    const raw = args[i] ?? 0n;
    const base = { name: a.name, kind: a.kind, raw };
    switch (a.kind) {
      case 'path':
      case 'string': {
        const s = readString(mem, tid, raw, 4096);
        if (s.bytes !== undefined)
          return { ...base, text: quote(s.bytes, a.kind === 'path' ? 4096 : 64), bytes: s.bytes };
        return { ...base, text: hex(raw), error: s.error };
      }
      case 'dirfd':
        return { ...base, text: BigInt.asIntN(32, raw) === -100n ? 'AT_FDCWD' : int32(raw) };
      case 'fd':
      case 'int':
      case 'pid':
      case 'uid':
      case 'gid':
        return { ...base, text: int32(raw) };
      case 'open_flags':
        return { ...base, text: openFlags(raw, abi) };
      case 'mode':
        return { ...base, text: `0${BigInt.asUintN(32, raw).toString(8)}` };
      case 'at_flags':
        return { ...base, text: flags(BigInt.asUintN(32, raw), AT_FLAGS) };
      case 'clone_flags':
        return { ...base, text: cloneFlags(raw) };
      case 'mmap_prot':
        return { ...base, text: flags(BigInt.asUintN(32, raw), PROT, 'PROT_NONE') };
      case 'signal':
        return { ...base, text: signalName(Number(BigInt.asUintN(32, raw))) };
      case 'argv':
      case 'envp':
        return { ...base, text: readPointerArray(mem, tid, raw, wordSize) };
      case 'size':
      case 'ulong':
      case 'sockaddr_len':
        return { ...base, text: BigInt.asUintN(wordSize * 8, raw).toString() };
      default:
        return { ...base, text: hex(raw) };
    }
  });
}

/** `= 3`, `= -1 ENOENT`, or `= ?` for calls that do not return. */
export function formatReturn(ret: bigint | null): string {
  if (ret === null) return '?';
  if (ret < 0n && ret > -4096n) return `-1 ${errnoName(Number(-ret))}`;
  if (ret > 0xffffn || ret < -0xffffn) return `0x${BigInt.asUintN(64, ret).toString(16)}`;
  return ret.toString();
}
