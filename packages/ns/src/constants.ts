/** Kernel constants the setup programs use (UAPI values, the same on x86_64 and aarch64). */

export const CLONE = {
  time: 0x00000080,
  mount: 0x00020000,
  cgroup: 0x02000000,
  uts: 0x04000000,
  ipc: 0x08000000,
  user: 0x10000000,
  pid: 0x20000000,
  net: 0x40000000,
} as const;

export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_REMOUNT = 0x20;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_SILENT = 0x8000;
export const MS_PRIVATE = 0x40000;
export const MS_RELATIME = 0x200000;
export const MS_STRICTATIME = 0x1000000;

export const MNT_DETACH = 2n;
export const AT_FDCWD = -100n;
export const AT_RECURSIVE = 0x8000n;
export const MOUNT_ATTR_RDONLY = 0x1n;
export const MOUNT_ATTR_NOSUID = 0x2n;
export const MOUNT_ATTR_NODEV = 0x4n;
/** sizeof(struct mount_attr), MOUNT_ATTR_SIZE_VER0. */
export const MOUNT_ATTR_SIZE = 32;

export const O_WRONLY = 0x1n;
export const O_CREAT = 0o100n;
export const O_TRUNC = 0o1000n;
export const O_CLOEXEC = 0o2000000n;

export const AF_INET = 2n;
export const SOCK_DGRAM = 2n;
export const SIOCSIFFLAGS = 0x8914n;
export const IFF_UP = 0x1;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;

export const PR_SET_NAME = 15n;
export const PR_CAPBSET_DROP = 24n;
export const PR_CAP_AMBIENT = 47n;
export const PR_CAP_AMBIENT_RAISE = 2n;
export const PR_CAP_AMBIENT_CLEAR_ALL = 4n;
export const LINUX_CAPABILITY_VERSION_3 = 0x20080522;

export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EACCES: 13,
  EEXIST: 17,
  ENOTDIR: 20,
  EINVAL: 22,
  ENOSPC: 28,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  EUSERS: 87,
} as const;
