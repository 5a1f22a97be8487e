/**
 * The successful-bind allowance: after a bind returns 0, the address actually
 * bound (port 0 resolved to the kernel's choice) becomes connectable, for sockets
 * of the same type and protocol (socketKind) as the bound one. The port
 * comes from getsockname() on a copy of the tracee's socket (pidfd_getfd, 5.6),
 * else from /proc/PID/net/{tcp,udp,...} by the socket's inode (which lists UDP
 * sockets and listening TCP sockets, not TCP sockets that are only bound).
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { decodeSockaddr, type SockAddr } from '@sb/policy/engine';
import { getArch, nativeArch } from '@sb/syscalls';
import { TakeFdError, withTakenFd } from '@sb/unotify/pidfd';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const getsocknameRaw = libc.func('int getsockname(int fd, void *addr, void *len)');
const getsockoptRaw = libc.func('int getsockopt(int fd, int level, int name, void *value, void *len)');

/** Reads `length` bytes of the tracee at `addr`, or 'EFAULT'. */
export type ReadMemory = (addr: bigint, length: number) => Uint8Array | 'EFAULT';

/**
 * The socket and address of a bind the checker allowed, as the call passes them:
 * bind(fd, addr, len) directly, or socketcall(SYS_BIND, args) on i386 (and other
 * ABIs with socketcall), where args points at three longs of the caller's ABI.
 * Null when they cannot be read or decoded (no allowance is recorded then).
 */
export function bindCall(
  abi: string,
  syscall: string,
  args: readonly bigint[],
  read: ReadMemory,
): { fd: number; addr: SockAddr } | null {
  const arch = getArch(abi);
  let fd: bigint | undefined;
  let ptr: bigint | undefined;
  let len: bigint | undefined;
  if (syscall === 'bind') {
    [fd, ptr, len] = args;
  } else if (syscall === 'socketcall(bind)') {
    const size = arch.bits === 64 && arch.name !== 'x32' ? 8 : 4;
    const at = args[1];
    if (at === undefined) return null;
    const raw = read(at, 3 * size);
    if (raw === 'EFAULT' || raw.length < 3 * size) return null;
    const v = new DataView(raw.buffer, raw.byteOffset, raw.length);
    const le = arch.endian === 'little';
    const word = (i: number): bigint =>
      size === 8 ? v.getBigUint64(i * 8, le) : BigInt(v.getUint32(i * 4, le));
    [fd, ptr, len] = [word(0), word(1), word(2)];
  } else {
    return null;
  }
  const n = Number((len ?? 0n) & 0xffffffffn);
  if (fd === undefined || ptr === undefined || ptr === 0n || n <= 0 || n > 128) return null;
  const raw = read(ptr, n);
  if (raw === 'EFAULT') return null;
  const d = decodeSockaddr(raw, n, arch.endian);
  if (!d.ok) return null;
  return { fd: Number(fd & 0xffffffffn) | 0, addr: d.addr };
}

/** Runs `use` on a copy of the tracee's fd (@sb/unotify's withTakenFd, 5.6); null when there is none. */
function withTraceeFd<T>(pid: number, fd: number, use: (copy: number) => T | null): T | null {
  if (fd < 0) return null;
  try {
    return withTakenFd(pid, fd, use);
  } catch (e) {
    if (e instanceof TakeFdError) return null;
    throw e;
  }
}

/** getsockname() of the tracee's socket `fd`, through a pidfd_getfd copy; null when unavailable. */
export function socketName(pid: number, fd: number): SockAddr | null {
  return withTraceeFd(pid, fd, (copy) => {
    const buf = new Uint8Array(128);
    const len = new Uint32Array([128]);
    if ((getsocknameRaw(copy, buf, len) as number) !== 0) return null;
    const n = Math.min(len[0]!, 128);
    const d = decodeSockaddr(buf.subarray(0, n), n, nativeArch().endian);
    return d.ok ? d.addr : null;
  });
}

const SOL_SOCKET = 1;
const SO_TYPE = 3;
const SO_PROTOCOL = 38;

function intOption(fd: number, name: number): number | null {
  const v = new Int32Array(1);
  const len = new Uint32Array([4]);
  return (getsockoptRaw(fd, SOL_SOCKET, name, v, len) as number) === 0 ? v[0]! : null;
}

/**
 * The kind of the tracee's socket `fd` of thread `tid`: "type/protocol" (SOCK_STREAM over
 * TCP is "1/6"), read with getsockopt on a pidfd_getfd copy. Null when it cannot be told
 * (not a socket, gone, or a kernel before 5.6): the successful-bind allowance is then off.
 */
export function socketKind(tid: number, fd: number): string | null {
  return withTraceeFd(tgidOf(tid), fd, (copy) => {
    const type = intOption(copy, SO_TYPE);
    const protocol = intOption(copy, SO_PROTOCOL);
    return type === null || protocol === null ? null : `${type}/${protocol}`;
  });
}

const TABLES = ['tcp', 'udp', 'tcp6', 'udp6', 'raw', 'raw6', 'udplite', 'udplite6'];

/** The local port of socket `fd` of `tid`, or null when it cannot be found. */
export function boundPort(tid: number, fd: number): number | null {
  let inode: string;
  try {
    const link = readlinkSync(`/proc/${tid}/fd/${fd}`);
    const m = /^socket:\[(\d+)\]$/.exec(link);
    if (!m) return null;
    inode = m[1]!;
  } catch {
    return null;
  }
  for (const t of TABLES) {
    let text: string;
    try {
      text = readFileSync(`/proc/${tid}/net/${t}`, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (f[9] !== inode) continue;
      const port = Number.parseInt(f[1]?.split(':')[1] ?? '', 16);
      return Number.isInteger(port) ? port : null;
    }
  }
  return null;
}

/** The address a bind of `requested` produced: port 0 replaced by the kernel's choice. */
export function boundAddress(requested: SockAddr, tid: number, fd: number): SockAddr | null {
  if ((requested.family === 'inet' || requested.family === 'inet6') && requested.port === 0) {
    const name = socketName(tgidOf(tid), fd);
    if (name && name.family === requested.family) return { ...requested, port: name.port };
    const port = boundPort(tid, fd);
    return port === null ? null : { ...requested, port };
  }
  return requested;
}

function tgidOf(tid: number): number {
  try {
    const m = /^Tgid:\s*(\d+)$/m.exec(readFileSync(`/proc/${tid}/status`, 'latin1'));
    return m ? Number(m[1]) : tid;
  } catch {
    return tid;
  }
}
