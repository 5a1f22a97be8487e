/**
 * The kernels of the matrix: Debian's real kernels (fetched by ./apt.ts), any image
 * under test-vms/kernels/NAME/bzImage or given with --kernel-image, and the emulated
 * personalities that stand in for 3.5 and 3.8 when no real image of them is present.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareKernelVersions, parseKernelVersion } from '@sb/syscalls';

export interface DebianKernel {
  readonly version: string;
  /** Debian suite whose current kernel this is. */
  readonly suite: string;
  /**
   * Image flavours to try, smallest first: cloud-amd64 (virtio and serial, few
   * drivers) boots under QEMU with a serial console; amd64 is the fallback.
   */
  readonly flavours: readonly string[];
}

export const DEBIAN_KERNELS: readonly DebianKernel[] = [
  { version: '5.10', suite: 'bullseye', flavours: ['cloud-amd64', 'amd64'] },
  { version: '6.1', suite: 'bookworm', flavours: ['cloud-amd64', 'amd64'] },
  { version: '6.12', suite: 'trixie', flavours: ['cloud-amd64', 'amd64'] },
];

/** Versions no registry here has: run emulated unless a real image is supplied. */
export const PERSONALITIES: readonly string[] = ['3.5', '3.8'];

/** Every version of the default matrix, oldest first. */
export const MATRIX_VERSIONS: readonly string[] = [
  ...PERSONALITIES,
  ...DEBIAN_KERNELS.map((k) => k.version),
].sort(compareKernelVersions);

export type CellKind = 'real' | 'emulated';

export interface Cell {
  /** The name in reports and for --kernel: '6.1', '3.5', or a kernels/NAME directory. */
  readonly name: string;
  /** Kernel version the expectations are for. */
  readonly version: string;
  readonly kind: CellKind;
  /** Where the image comes from: a Debian suite, or a path. */
  readonly source: { readonly debian: DebianKernel } | { readonly image: string };
  /** For emulated cells: the real cell whose kernel runs the personality. */
  readonly host?: Cell;
}

/** The version a kernels/NAME directory is for: NAME begins with it ('3.5', '3.8-custom'). */
export function versionOfName(name: string): string {
  const m = /^(\d+\.\d+(?:\.\d+)?)/.exec(name);
  if (m === null) {
    throw new Error(
      `kernels/${name}: the directory name must begin with the kernel version, e.g. 3.5 or 3.8-mine`,
    );
  }
  parseKernelVersion(m[1]!);
  return m[1]!;
}

/** Images under DIR/NAME/bzImage. */
export function localImages(dir: string): { name: string; image: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'bzImage')))
    .map((d) => ({ name: d.name, image: join(dir, d.name, 'bzImage') }));
}

/**
 * The matrix: the Debian kernels, the local images, and for each personality without
 * a real image, an emulated cell on the oldest real kernel at least as new as it.
 * A local image named like a Debian kernel replaces the download.
 */
export function planMatrix(local: readonly { name: string; image: string }[]): Cell[] {
  const cells: Cell[] = [];
  const localNames = new Set(local.map((l) => l.name));
  for (const k of DEBIAN_KERNELS) {
    if (!localNames.has(k.version))
      cells.push({ name: k.version, version: k.version, kind: 'real', source: { debian: k } });
  }
  for (const l of local)
    cells.push({ name: l.name, version: versionOfName(l.name), kind: 'real', source: { image: l.image } });
  const real = [...cells].sort((a, b) => compareKernelVersions(a.version, b.version));
  const realVersions = new Set(real.map((c) => c.version));
  for (const p of PERSONALITIES) {
    if (realVersions.has(p)) continue;
    const host = real.find((c) => compareKernelVersions(c.version, p) >= 0);
    if (host === undefined) throw new Error(`no real kernel at least as new as ${p} to emulate it on`);
    cells.push({ name: p, version: p, kind: 'emulated', source: host.source, host });
  }
  return cells.sort((a, b) => compareKernelVersions(a.version, b.version) || a.name.localeCompare(b.name));
}
