import type { TraceeMemory } from '../src/evaluate.js';

/** A fake tracee address space: buffers placed at increasing addresses; reads elsewhere fail with EFAULT. */
export class FakeMemory implements TraceeMemory {
  private next = 0x10000n;
  private readonly regions: { at: bigint; bytes: Uint8Array }[] = [];

  put(bytes: Uint8Array): bigint {
    const at = this.next;
    this.regions.push({ at, bytes });
    this.next += BigInt(bytes.length + 64);
    return at;
  }

  str(s: string | Uint8Array): bigint {
    const b = typeof s === 'string' ? Buffer.from(s) : Buffer.from(s);
    return this.put(Buffer.concat([b, Buffer.of(0)]));
  }

  private find(addr: bigint): { r: { at: bigint; bytes: Uint8Array }; off: number } | null {
    for (const r of this.regions) {
      if (addr >= r.at && addr < r.at + BigInt(r.bytes.length)) return { r, off: Number(addr - r.at) };
    }
    return null;
  }

  readString(addr: bigint, max: number): Uint8Array | 'EFAULT' {
    const f = this.find(addr);
    if (!f) return 'EFAULT';
    const rest = f.r.bytes.subarray(f.off);
    const nul = rest.indexOf(0);
    if (nul === -1) return 'EFAULT';
    return rest.subarray(0, Math.min(nul, max));
  }

  read(addr: bigint, length: number): Uint8Array | 'EFAULT' {
    const f = this.find(addr);
    if (!f || f.off + length > f.r.bytes.length) return 'EFAULT';
    return f.r.bytes.subarray(f.off, f.off + length);
  }
}
