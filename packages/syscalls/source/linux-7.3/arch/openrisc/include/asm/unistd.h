/* SPDX-License-Identifier: GPL-2.0+ WITH Linux-syscall-note */

#define __ARCH_WANT_STAT64
#define __ARCH_WANT_SYS_FORK
#define __ARCH_WANT_SYS_CLONE
#define __ARCH_WANT_TIME32_SYSCALLS

#include <uapi/asm/unistd.h>
