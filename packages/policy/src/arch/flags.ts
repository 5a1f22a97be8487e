/**
 * Flag values that differ between architectures (open(2) flags), and those
 * that do not (AT_*, MS_*, RENAME_*). One interface, per-family tables taken
 * from the kernel's arch/<arch>/include/uapi/asm/fcntl.h and
 * include/uapi/asm-generic/fcntl.h.
 */

export interface OpenFlags {
  readonly O_ACCMODE: number;
  readonly O_WRONLY: number;
  readonly O_RDWR: number;
  readonly O_CREAT: number;
  readonly O_EXCL: number;
  readonly O_TRUNC: number;
  readonly O_APPEND: number;
  readonly O_DIRECTORY: number;
  readonly O_NOFOLLOW: number;
  readonly O_PATH: number;
  /** __O_TMPFILE (O_TMPFILE is this | O_DIRECTORY). */
  readonly O_TMPFILE_BIT: number;
}

const COMMON = { O_ACCMODE: 3, O_WRONLY: 1, O_RDWR: 2 } as const;

/** include/uapi/asm-generic/fcntl.h (x86, s390, riscv, loongarch, ia64, csky, ...). */
const GENERIC: OpenFlags = {
  ...COMMON,
  O_CREAT: 0o100,
  O_EXCL: 0o200,
  O_TRUNC: 0o1000,
  O_APPEND: 0o2000,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_PATH: 0o10000000,
  O_TMPFILE_BIT: 0o20000000,
};

/** arm, arm64 (and its compat), powerpc, m68k: O_DIRECTORY/O_NOFOLLOW moved. */
const ARM_PPC: OpenFlags = { ...GENERIC, O_DIRECTORY: 0o40000, O_NOFOLLOW: 0o100000 };

/** arch/mips/include/uapi/asm/fcntl.h */
const MIPS: OpenFlags = {
  ...COMMON,
  O_APPEND: 0x0008,
  O_CREAT: 0x0100,
  O_TRUNC: 0x0200,
  O_EXCL: 0x0400,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_PATH: 0o10000000,
  O_TMPFILE_BIT: 0x800000,
};

/** arch/sparc/include/uapi/asm/fcntl.h */
const SPARC: OpenFlags = {
  ...COMMON,
  O_APPEND: 0x0008,
  O_CREAT: 0x0200,
  O_TRUNC: 0x0400,
  O_EXCL: 0x0800,
  O_DIRECTORY: 0o200000,
  O_NOFOLLOW: 0o400000,
  O_PATH: 0x1000000,
  O_TMPFILE_BIT: 0x2000000,
};

/** arch/parisc/include/uapi/asm/fcntl.h */
const PARISC: OpenFlags = {
  ...COMMON,
  O_APPEND: 0o10,
  O_CREAT: 0o400,
  O_EXCL: 0o2000,
  O_TRUNC: 0o1000,
  O_DIRECTORY: 0o10000,
  O_NOFOLLOW: 0o200,
  O_PATH: 0o20000000,
  O_TMPFILE_BIT: 0o40000000,
};

/** arch/alpha/include/uapi/asm/fcntl.h */
const ALPHA: OpenFlags = {
  ...COMMON,
  O_APPEND: 0o10,
  O_CREAT: 0o1000,
  O_TRUNC: 0o2000,
  O_EXCL: 0o4000,
  O_DIRECTORY: 0o100000,
  O_NOFOLLOW: 0o200000,
  O_PATH: 0o40000000,
  O_TMPFILE_BIT: 0o100000000,
};

const FAMILIES: readonly [RegExp, OpenFlags][] = [
  [
    /^(x86_64|i386|x32|s390x?|riscv(32|64)|loongarch64|ia64|csky|openrisc|xtensa|sh|microblaze|arc|hexagon|nios2)/,
    GENERIC,
  ],
  [/^(arm|aarch64|armeb|aarch64_be|ppc|powerpc|m68k)/, ARM_PPC],
  [/^mips/, MIPS],
  [/^sparc/, SPARC],
  [/^(parisc|hppa)/, PARISC],
  [/^alpha/, ALPHA],
];

/** Open flags for an architecture (canonical name), or undefined when unknown (callers fail closed). */
export function openFlagsFor(arch: string): OpenFlags | undefined {
  for (const [re, flags] of FAMILIES) if (re.test(arch)) return flags;
  return undefined;
}

/** The same on every architecture (include/uapi/linux/fcntl.h, mount.h, fs.h). */
export const AT = {
  FDCWD: -100,
  SYMLINK_NOFOLLOW: 0x100,
  REMOVEDIR: 0x200,
  SYMLINK_FOLLOW: 0x400,
  EMPTY_PATH: 0x1000,
} as const;
export const MS_BIND = 0x1000;
export const MS_MOVE = 0x2000;
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;
