/**
 * Landlock's access rights and what each ABI version added, as data. Source: the
 * kernel's include/uapi/linux/landlock.h and Documentation/userspace-api/landlock.rst
 * (the bit values are UAPI and never change; an ABI version only adds).
 */

/** LANDLOCK_ACCESS_FS_* bits. */
export const FS = {
  EXECUTE: 1n << 0n,
  WRITE_FILE: 1n << 1n,
  READ_FILE: 1n << 2n,
  READ_DIR: 1n << 3n,
  REMOVE_DIR: 1n << 4n,
  REMOVE_FILE: 1n << 5n,
  MAKE_CHAR: 1n << 6n,
  MAKE_DIR: 1n << 7n,
  MAKE_REG: 1n << 8n,
  MAKE_SOCK: 1n << 9n,
  MAKE_FIFO: 1n << 10n,
  MAKE_BLOCK: 1n << 11n,
  MAKE_SYM: 1n << 12n,
  REFER: 1n << 13n,
  TRUNCATE: 1n << 14n,
  IOCTL_DEV: 1n << 15n,
  RESOLVE_UNIX: 1n << 16n,
} as const;
export type FsRight = keyof typeof FS;

/** LANDLOCK_ACCESS_NET_* bits. */
export const NET = {
  BIND_TCP: 1n << 0n,
  CONNECT_TCP: 1n << 1n,
} as const;
export type NetRight = keyof typeof NET;

/** LANDLOCK_SCOPE_* bits. */
export const SCOPE = {
  ABSTRACT_UNIX_SOCKET: 1n << 0n,
  SIGNAL: 1n << 1n,
} as const;
export type ScopeRight = keyof typeof SCOPE;

/** landlock_restrict_self() flags. */
export const RESTRICT_SELF = {
  LOG_SAME_EXEC_OFF: 1 << 0,
  LOG_NEW_EXEC_ON: 1 << 1,
  LOG_SUBDOMAINS_OFF: 1 << 2,
  TSYNC: 1 << 3,
} as const;

export const LANDLOCK_CREATE_RULESET_VERSION = 1;
export const LANDLOCK_RULE_PATH_BENEATH = 1;
export const LANDLOCK_RULE_NET_PORT = 2;

/** Rights that apply to a file itself; a rule on a non-directory may only carry these (else EINVAL). */
export const FILE_RIGHTS: bigint =
  FS.EXECUTE | FS.WRITE_FILE | FS.READ_FILE | FS.TRUNCATE | FS.IOCTL_DEV | FS.RESOLVE_UNIX;

export interface AbiVersion {
  readonly abi: number;
  /** The mainline release that first had it, or null when it came after the releases checked here. */
  readonly kernel: string | null;
  readonly fs: readonly FsRight[];
  readonly net: readonly NetRight[];
  readonly scope: readonly ScopeRight[];
  readonly restrictSelf: readonly (keyof typeof RESTRICT_SELF)[];
  /** What the version brought, for `sb features` and the README. */
  readonly adds: string;
}

/** Each ABI version with what it adds to the one before. */
export const ABI_VERSIONS: readonly AbiVersion[] = [
  {
    abi: 1,
    kernel: '5.13',
    fs: [
      'EXECUTE',
      'WRITE_FILE',
      'READ_FILE',
      'READ_DIR',
      'REMOVE_DIR',
      'REMOVE_FILE',
      'MAKE_CHAR',
      'MAKE_DIR',
      'MAKE_REG',
      'MAKE_SOCK',
      'MAKE_FIFO',
      'MAKE_BLOCK',
      'MAKE_SYM',
    ],
    net: [],
    scope: [],
    restrictSelf: [],
    adds: 'file system access rights under path hierarchies (renames and links across directories always denied)',
  },
  {
    abi: 2,
    kernel: '5.19',
    fs: ['REFER'],
    net: [],
    scope: [],
    restrictSelf: [],
    adds: 'REFER: renaming and linking across directories',
  },
  {
    abi: 3,
    kernel: '6.2',
    fs: ['TRUNCATE'],
    net: [],
    scope: [],
    restrictSelf: [],
    adds: 'TRUNCATE: truncate(2), ftruncate(2), O_TRUNC',
  },
  {
    abi: 4,
    kernel: '6.7',
    fs: [],
    net: ['BIND_TCP', 'CONNECT_TCP'],
    scope: [],
    restrictSelf: [],
    adds: 'TCP bind and connect by port',
  },
  {
    abi: 5,
    kernel: '6.10',
    fs: ['IOCTL_DEV'],
    net: [],
    scope: [],
    restrictSelf: [],
    adds: 'IOCTL_DEV: ioctl(2) on device files',
  },
  {
    abi: 6,
    kernel: '6.12',
    fs: [],
    net: [],
    scope: ['ABSTRACT_UNIX_SOCKET', 'SIGNAL'],
    restrictSelf: [],
    adds: 'scoping: abstract unix sockets and signals only within the sandbox',
  },
  {
    abi: 7,
    kernel: '6.15',
    fs: [],
    net: [],
    scope: [],
    restrictSelf: ['LOG_SAME_EXEC_OFF', 'LOG_NEW_EXEC_ON', 'LOG_SUBDOMAINS_OFF'],
    adds: 'audit logging control for denials',
  },
  {
    abi: 8,
    kernel: null,
    fs: [],
    net: [],
    scope: [],
    restrictSelf: ['TSYNC'],
    adds: 'TSYNC: restrict every thread of the process at once',
  },
  {
    abi: 9,
    kernel: null,
    fs: ['RESOLVE_UNIX'],
    net: [],
    scope: [],
    restrictSelf: [],
    adds: 'RESOLVE_UNIX: connecting to pathname unix sockets',
  },
];

/** The highest ABI this table describes; a newer kernel is treated as this one (its extra rights unused). */
export const KNOWN_ABI = ABI_VERSIONS[ABI_VERSIONS.length - 1]!.abi;

export interface AbiRights {
  readonly abi: number;
  readonly fs: bigint;
  readonly net: bigint;
  readonly scope: bigint;
  readonly restrictSelf: number;
}

function mask<K extends string>(table: Readonly<Record<K, bigint>>, names: readonly K[]): bigint {
  return names.reduce((m, n) => m | table[n], 0n);
}

/** Everything ABI `abi` supports (the union of versions 1..abi). 0 or less: nothing. */
export function rightsFor(abi: number): AbiRights {
  const upTo = ABI_VERSIONS.filter((v) => v.abi <= abi);
  return {
    abi,
    fs: upTo.reduce((m, v) => m | mask(FS, v.fs), 0n),
    net: upTo.reduce((m, v) => m | mask(NET, v.net), 0n),
    scope: upTo.reduce((m, v) => m | mask(SCOPE, v.scope), 0n),
    restrictSelf: upTo.reduce((m, v) => v.restrictSelf.reduce((x, n) => x | RESTRICT_SELF[n], m), 0),
  };
}

/** The first ABI version that has this right. */
export function abiOf(right: FsRight | NetRight | ScopeRight): number {
  const v = ABI_VERSIONS.find(
    (x) =>
      (x.fs as readonly string[]).includes(right) ||
      (x.net as readonly string[]).includes(right) ||
      (x.scope as readonly string[]).includes(right),
  );
  return v?.abi ?? Number.POSITIVE_INFINITY;
}

/** Names of the bits set in `bits`, for messages: 'READ_FILE|READ_DIR'. */
export function rightNames(bits: bigint, table: Readonly<Record<string, bigint>> = FS): string {
  const names = Object.entries(table)
    .filter(([, b]) => (bits & b) !== 0n)
    .map(([n]) => n);
  return names.length > 0 ? names.join('|') : 'none';
}
