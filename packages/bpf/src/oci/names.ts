/**
 * libseccomp's architecture tokens (SCMP_ARCH_*) and the Go/libseccomp-golang names Moby's
 * `includes.arches` uses, mapped to @sb/syscalls ABI names.
 */
const SCMP_TO_ABI: Readonly<Record<string, string>> = {
  SCMP_ARCH_X86: 'i386',
  SCMP_ARCH_X86_64: 'x86_64',
  SCMP_ARCH_X32: 'x32',
  SCMP_ARCH_ARM: 'arm',
  SCMP_ARCH_AARCH64: 'aarch64',
  SCMP_ARCH_MIPS: 'mips',
  SCMP_ARCH_MIPS64: 'mips64',
  SCMP_ARCH_MIPS64N32: 'mips64n32',
  SCMP_ARCH_MIPSEL: 'mipsel',
  SCMP_ARCH_MIPSEL64: 'mipsel64',
  SCMP_ARCH_MIPSEL64N32: 'mipsel64n32',
  SCMP_ARCH_PPC: 'ppc',
  SCMP_ARCH_PPC64: 'ppc64',
  SCMP_ARCH_PPC64LE: 'ppc64le',
  SCMP_ARCH_S390: 's390',
  SCMP_ARCH_S390X: 's390x',
  SCMP_ARCH_PARISC: 'parisc',
  SCMP_ARCH_PARISC64: 'parisc64',
  SCMP_ARCH_RISCV64: 'riscv64',
  SCMP_ARCH_LOONGARCH64: 'loongarch64',
  SCMP_ARCH_M68K: 'm68k',
  SCMP_ARCH_SH: 'sh',
  SCMP_ARCH_SHEB: 'sheb',
};

/** libseccomp-golang's ScmpArch.String() names, which Moby's includes/excludes.arches use. */
const ABI_TO_GO: Readonly<Record<string, string>> = {
  i386: 'x86',
  x86_64: 'amd64',
  x32: 'x32',
  arm: 'arm',
  aarch64: 'arm64',
  mips: 'mips',
  mips64: 'mips64',
  mips64n32: 'mips64n32',
  mipsel: 'mipsel',
  mipsel64: 'mipsel64',
  mipsel64n32: 'mipsel64n32',
  ppc: 'ppc',
  ppc64: 'ppc64',
  ppc64le: 'ppc64le',
  s390: 's390',
  s390x: 's390x',
  riscv64: 'riscv64',
  loongarch64: 'loong64',
};

export function abiOfScmp(token: string): string | undefined {
  return SCMP_TO_ABI[token.toUpperCase()];
}

export function scmpOfAbi(abi: string): string | undefined {
  for (const [k, v] of Object.entries(SCMP_TO_ABI)) if (v === abi) return k;
  return undefined;
}

export function goArchOfAbi(abi: string): string {
  return ABI_TO_GO[abi] ?? abi;
}
