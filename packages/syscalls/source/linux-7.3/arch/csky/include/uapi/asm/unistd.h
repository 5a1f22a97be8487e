/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */

#include <asm/unistd_32.h>

#define __NR_sync_file_range2 84
#undef __NR_sync_file_range
