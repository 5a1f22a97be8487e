/**
 * A writer for the "newc" cpio format the kernel unpacks an initramfs from
 * (Documentation/driver-api/early-userspace/buffer-format.rst), streaming file
 * contents so a 100 MB node binary is never held in memory.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export type Entry =
  | { readonly type: 'dir'; readonly path: string; readonly mode: number }
  | {
      readonly type: 'file';
      readonly path: string;
      readonly mode: number;
      readonly from: string | Uint8Array;
    }
  | { readonly type: 'symlink'; readonly path: string; readonly target: string };

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const pad4 = (n: number) => (4 - (n % 4)) % 4;

function header(ino: number, mode: number, size: number, name: string): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameBytes.length, 0];
  const head = Buffer.from(`070701${fields.map(hex8).join('')}`, 'ascii');
  return Buffer.concat([head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length))]);
}

/** Writes ENTRIES (paths without a leading '/') to OUT; returns the bytes written. */
export function writeCpio(
  out: string,
  entries: readonly Entry[],
  fileSize: (from: string) => number,
): number {
  const fd = openSync(out, 'w');
  let total = 0;
  const put = (b: Uint8Array) => {
    writeSync(fd, b);
    total += b.length;
  };
  try {
    let ino = 1;
    for (const e of entries) {
      const name = e.path.replace(/^\/+/, '');
      if (e.type === 'dir') {
        put(header(ino++, S_IFDIR | e.mode, 0, name));
      } else if (e.type === 'symlink') {
        const t = Buffer.from(e.target, 'utf8');
        put(header(ino++, S_IFLNK | 0o777, t.length, name));
        put(t);
        put(Buffer.alloc(pad4(t.length)));
      } else if (typeof e.from === 'string') {
        const size = fileSize(e.from);
        put(header(ino++, S_IFREG | e.mode, size, name));
        const src = openSync(e.from, 'r');
        try {
          const buf = Buffer.alloc(1 << 20);
          let left = size;
          while (left > 0) {
            const n = readSync(src, buf, 0, Math.min(buf.length, left), null);
            if (n <= 0) throw new Error(`${e.from}: file shrank while being copied`);
            put(buf.subarray(0, n));
            left -= n;
          }
        } finally {
          closeSync(src);
        }
        put(Buffer.alloc(pad4(size)));
      } else {
        put(header(ino++, S_IFREG | e.mode, e.from.length, name));
        put(e.from);
        put(Buffer.alloc(pad4(e.from.length)));
      }
    }
    put(header(ino, 0, 0, 'TRAILER!!!'));
  } finally {
    closeSync(fd);
  }
  return total;
}
