/**
 * The successful-bind allowance's two halves apart from a tracee: decoding the
 * bind a checker allowed (bind(2) on every ABI, socketcall(SYS_BIND) on i386)
 * from synthetic registers and memory, and resolving port 0 after the call from
 * a real socket. This machine's kernel runs no i386 code (see machine facts), so
 * the i386 path is checked here on i386-shaped inputs rather than end to end.
 */
import { createSocket } from 'node:dgram';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { bindCall, boundAddress, type ReadMemory, socketKind } from '../src/netbind.js';

/** A sparse tracee memory: byte blocks at addresses; anything else is EFAULT. */
function memory(blocks: Record<string, Uint8Array>): ReadMemory {
  return (addr, length) => {
    for (const [at, bytes] of Object.entries(blocks)) {
      const start = BigInt(at);
      if (addr >= start && addr + BigInt(length) <= start + BigInt(bytes.length)) {
        const off = Number(addr - start);
        return bytes.subarray(off, off + length);
      }
    }
    return 'EFAULT';
  };
}

function u32s(...v: number[]): Uint8Array {
  const b = new DataView(new ArrayBuffer(v.length * 4));
  for (const [i, x] of v.entries()) b.setUint32(i * 4, x >>> 0, true);
  return new Uint8Array(b.buffer);
}

function u64s(...v: bigint[]): Uint8Array {
  const b = new DataView(new ArrayBuffer(v.length * 8));
  for (const [i, x] of v.entries()) b.setBigUint64(i * 8, x, true);
  return new Uint8Array(b.buffer);
}

/** struct sockaddr_in (16 bytes): AF_INET, port (network order), address. */
function sockaddrIn(port: number, a: [number, number, number, number]): Uint8Array {
  return Uint8Array.of(2, 0, port >> 8, port & 0xff, ...a, 0, 0, 0, 0, 0, 0, 0, 0);
}

/** struct sockaddr_un with a path. */
function sockaddrUn(path: string): Uint8Array {
  return Uint8Array.of(1, 0, ...Buffer.from(path), 0);
}

const SYS_BIND = 2n;
const SYS_CONNECT = 3n;
const ARGS = 0x8000n;
const ADDR = 0x9000n;

describe('bindCall', () => {
  it.each([
    // abi, syscall name as the evaluator reports it, registers, memory -> expected
    [
      'i386 socketcall(SYS_BIND) to 127.0.0.1:0',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS, 0n, 0n, 0n, 0n],
      { [ARGS.toString()]: u32s(5, Number(ADDR), 16), [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      { fd: 5, addr: { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } },
    ],
    [
      'i386 socketcall(SYS_BIND) to a fixed port',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS, 0n, 0n, 0n, 0n],
      { [ARGS.toString()]: u32s(7, Number(ADDR), 16), [ADDR.toString()]: sockaddrIn(8080, [10, 0, 0, 2]) },
      { fd: 7, addr: { family: 'inet', addr: Uint8Array.of(10, 0, 0, 2), port: 8080 } },
    ],
    [
      'i386 socketcall(SYS_BIND) of a unix socket',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS, 0n, 0n, 0n, 0n],
      { [ARGS.toString()]: u32s(3, Number(ADDR), 7), [ADDR.toString()]: sockaddrUn('sock') },
      { fd: 3, addr: { family: 'unix', path: Uint8Array.from(Buffer.from('sock')) } },
    ],
    [
      'x86_64 bind(2)',
      'x86_64',
      'bind',
      [4n, ADDR, 16n, 0n, 0n, 0n],
      { [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      { fd: 4, addr: { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } },
    ],
    [
      'i386 bind(2) (the direct call, 4.3+)',
      'i386',
      'bind',
      [6n, ADDR, 16n, 0n, 0n, 0n],
      { [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      { fd: 6, addr: { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } },
    ],
    // A socketcall on a 64-bit ABI reads three 8-byte longs (none of sb's x86 ABIs has one;
    // the layout is what matters).
    [
      'socketcall(bind) with 64-bit longs',
      'x86_64',
      'socketcall(bind)',
      [SYS_BIND, ARGS, 0n, 0n, 0n, 0n],
      { [ARGS.toString()]: u64s(9n, ADDR, 16n), [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      { fd: 9, addr: { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } },
    ],
    ['socketcall(connect) is no bind', 'i386', 'socketcall(connect)', [SYS_CONNECT, ARGS], {}, null],
    ['args array unreadable', 'i386', 'socketcall(bind)', [SYS_BIND, ARGS], {}, null],
    [
      'address unreadable',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS],
      { [ARGS.toString()]: u32s(5, Number(ADDR), 16) },
      null,
    ],
    [
      'length 0',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS],
      { [ARGS.toString()]: u32s(5, Number(ADDR), 0), [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      null,
    ],
    [
      'length over 128',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS],
      { [ARGS.toString()]: u32s(5, Number(ADDR), 129), [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      null,
    ],
    [
      'a sockaddr_in too short',
      'i386',
      'socketcall(bind)',
      [SYS_BIND, ARGS],
      { [ARGS.toString()]: u32s(5, Number(ADDR), 4), [ADDR.toString()]: sockaddrIn(0, [127, 0, 0, 1]) },
      null,
    ],
  ] as const)('%s', (_name, abi, syscall, args, mem, expected) => {
    const r = bindCall(abi, syscall, args, memory(mem));
    expect(r).toEqual(expected);
  });
});

describe('boundAddress (after the call)', () => {
  it('resolves port 0 to the port the kernel chose, from the socket itself', async () => {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    try {
      const port = (server.address() as { port: number }).port;
      const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
      expect(fd).toBeGreaterThan(2);
      const requested = { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } as const;
      expect(boundAddress(requested, process.pid, fd)).toEqual({ ...requested, port });
      // A fixed port is taken as asked.
      const fixed = { ...requested, port: 4242 };
      expect(boundAddress(fixed, process.pid, fd)).toEqual(fixed);
    } finally {
      server.close();
    }
  });

  it('gives up (no allowance) when the fd is no socket', () => {
    const requested = { family: 'inet', addr: Uint8Array.of(127, 0, 0, 1), port: 0 } as const;
    expect(boundAddress(requested, process.pid, 0x7ffffff0)).toBeNull();
  });
});

describe('socketKind (which sockets the allowance covers)', () => {
  it('tells TCP from UDP from a non-socket, on a copy of the fd', async () => {
    const server = createServer();
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const udp = createSocket('udp4');
    await new Promise<void>((res) => udp.bind(0, '127.0.0.1', res));
    const file = openSync(import.meta.filename, 'r');
    try {
      const tcpFd = (server as unknown as { _handle: { fd: number } })._handle.fd;
      const udpFd = (udp as unknown as { _handle: { fd: number } })._handle.fd;
      expect(socketKind(process.pid, tcpFd)).toBe('1/6');
      expect(socketKind(process.pid, udpFd)).toBe('2/17');
      // Not a socket, and no such fd: cannot be told, so no allowance.
      expect(socketKind(process.pid, file)).toBeNull();
      expect(socketKind(process.pid, 0x7ffffff0)).toBeNull();
      expect(socketKind(process.pid, -1)).toBeNull();
    } finally {
      server.close();
      udp.close();
      closeSync(file);
    }
  });
});
