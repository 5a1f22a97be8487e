/**
 * The launcher's data block: strings and structs laid out in one malloc'd block
 * BEFORE the stub is cloned, so the stub holds a copy at the same addresses (or,
 * sharing our memory, reads this one until its execve).
 */
import { allocNative } from './native.js';

/** Lays strings and structs out in one malloc'd block; addresses are final once `commit` ran. */
export class Image {
  private readonly parts: { at: number; bytes: Uint8Array }[] = [];
  private size = 0;
  private block: ReturnType<typeof allocNative> | null = null;
  private ptrFixups: { at: number; target: number }[] = [];

  add(bytes: Uint8Array, align = 8): number {
    this.size = (this.size + align - 1) & ~(align - 1);
    const at = this.size;
    this.parts.push({ at, bytes });
    this.size += bytes.length;
    return at;
  }

  cstring(s: string): number {
    return this.add(Buffer.concat([Buffer.from(s), Buffer.of(0)]), 1);
  }

  /** A NULL-terminated pointer array to the given offsets. */
  pointerArray(offsets: readonly number[]): number {
    const at = this.add(new Uint8Array((offsets.length + 1) * 8));
    for (const [i, target] of offsets.entries()) this.ptrFixups.push({ at: at + i * 8, target });
    return at;
  }

  /** A pointer-sized slot holding the address of `target`, at `at` + field offset. */
  fixup(at: number, target: number): void {
    this.ptrFixups.push({ at, target });
  }

  commit(): bigint {
    const block = allocNative(Math.max(this.size, 8));
    this.block = block;
    for (const p of this.parts) block.bytes.set(p.bytes, p.at);
    const view = new DataView(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
    for (const f of this.ptrFixups) view.setBigUint64(f.at, block.address + BigInt(f.target), true);
    return block.address;
  }

  address(offset: number): bigint {
    if (this.block === null) throw new Error('image not committed');
    return this.block.address + BigInt(offset);
  }

  /** Idempotent. */
  free(): void {
    this.block?.free();
  }
}
