/**
 * The successful-bind allowance: after a bind returns 0, the address actually
 * bound (port 0 resolved to the kernel's choice) becomes connectable. The port
 * comes from getsockname() on a copy of the tracee's socket (pidfd_getfd, 5.6),
 * else from /proc/PID/net/{tcp,udp,...} by the socket's inode (which lists UDP
 * sockets and listening TCP sockets, not TCP sockets that are only bound).
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { decodeSockaddr, type SockAddr } from '@sb/policy';
import { nativeArch, syscallByName } from '@sb/syscalls';
import koffi from 'koffi';

const libc = koffi.load('libc.so.6');
const syscall3 = libc.func('long syscall(long nr, long a, long b, long c)');
const getsocknameRaw = libc.func('int getsockname(int fd, void *addr, void *len)');
const closeRaw = libc.func('int close(int fd)');

/** getsockname() of the tracee's socket `fd`, through a pidfd_getfd copy; null when unavailable. */
export function socketName(pid: number, fd: number): SockAddr | null {
  const arch = nativeArch();
  const open = syscallByName(arch, 'pidfd_open')?.nr;
  const getfd = syscallByName(arch, 'pidfd_getfd')?.nr;
  if (open === undefined || getfd === undefined) return null;
  const pidfd = Number(syscall3(open, pid, 0, 0));
  if (pidfd < 0) return null;
  try {
    const copy = Number(syscall3(getfd, pidfd, fd, 0));
    if (copy < 0) return null;
    try {
      const buf = new Uint8Array(128);
      const len = new Uint32Array([128]);
      if ((getsocknameRaw(copy, buf, len) as number) !== 0) return null;
      const n = Math.min(len[0]!, 128);
      const d = decodeSockaddr(buf.subarray(0, n), n, arch.endian);
      return d.ok ? d.addr : null;
    } finally {
      closeRaw(copy);
    }
  } finally {
    closeRaw(pidfd);
  }
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
