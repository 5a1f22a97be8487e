/**
 * include/uapi/linux/seccomp.h: the user-notification ioctls, flags and struct
 * layouts (identical on every ABI sb supports: all fields are fixed-width and the
 * ioctl numbers use the generic _IOC encoding of x86 and arm64).
 */

/** _IOC(dir, '!', nr, size) with the generic encoding: dir<<30 | size<<16 | type<<8 | nr. */
function ioc(dir: number, nr: number, size: number): number {
  return ((dir << 30) | (size << 16) | (0x21 << 8) | nr) >>> 0;
}
const IOC_WRITE = 1;
const IOC_READ = 2;

/** sizeof(struct seccomp_notif): u64 id, u32 pid, u32 flags, struct seccomp_data (64). */
export const NOTIF_SIZE = 80;
/** sizeof(struct seccomp_notif_resp): u64 id, s64 val, s32 error, u32 flags. */
export const RESP_SIZE = 24;
/** sizeof(struct seccomp_notif_addfd): u64 id, u32 flags, u32 srcfd, u32 newfd, u32 newfd_flags. */
export const ADDFD_SIZE = 24;

export const SECCOMP_IOCTL_NOTIF_RECV = ioc(IOC_READ | IOC_WRITE, 0, NOTIF_SIZE);
export const SECCOMP_IOCTL_NOTIF_SEND = ioc(IOC_READ | IOC_WRITE, 1, RESP_SIZE);
/** _IOW since 5.?; the kernel still accepts the original _IOR spelling. */
export const SECCOMP_IOCTL_NOTIF_ID_VALID = ioc(IOC_WRITE, 2, 8);
export const SECCOMP_IOCTL_NOTIF_ADDFD = ioc(IOC_WRITE, 3, ADDFD_SIZE);

/** seccomp_notif_resp.flags: let the call run in the kernel (5.5). */
export const SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1;
/** seccomp_notif_addfd.flags: install at `newfd` (dup2 semantics). */
export const SECCOMP_ADDFD_FLAG_SETFD = 1;
/** seccomp_notif_addfd.flags: install and answer the call with the new fd number, atomically (5.14). */
export const SECCOMP_ADDFD_FLAG_SEND = 2;

export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_FILTER_FLAG_NEW_LISTENER = 1 << 3;
export const SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV = 1 << 5;

/** openat2 struct open_how.resolve bits (5.6). */
export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
/** How the supervisor walks a checked path: inside the caller's root, through no symlink the check did not see. */
export const RESOLVE_CHECKED = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

export const EPERM = 1;
export const ENOENT = 2;
export const ESRCH = 3;
export const EINTR = 4;
export const EBADF = 9;
export const EAGAIN = 11;
export const EACCES = 13;
export const EFAULT = 14;
export const ENAMETOOLONG = 36;
export const EINVAL = 22;
export const ENOSYS = 38;
export const ELOOP = 40;
export const ENXIO = 6;
export const EINPROGRESS = 115;
export const SIGKILL = 9;
