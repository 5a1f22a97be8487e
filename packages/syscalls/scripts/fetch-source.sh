#!/bin/sh
# Reproduces packages/syscalls/source/linux-<version>/: the kernel files the
# generator reads, extracted from Debian's kernel source packages.
#
# The package is reached with a private apt sources list in a temporary
# directory (the machine's apt setup is not touched). The archive URI is read
# at run time from the machine's own /etc/apt/sources.list.d/debian.sources, so
# no registry address is written into the repository.
#
# Usage: scripts/fetch-source.sh
set -eu

# Primary source: the newest kernel Debian ships (trixie-backports).
PKG=linux-source-7.3
VERSION=7.3.4-1~bpo13+1
SUITE=trixie-backports
# Secondary source, for ABIs the newest kernel dropped: s390's 31-bit compat
# ABI was removed after 6.12, so its table comes from Debian stable's 6.12.
OLD_PKG=linux-source-6.12
OLD_VERSION=6.12.117-1
OLD_SUITE=trixie

here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

uri=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources)
[ -n "$uri" ] || { echo "fetch-source: no URIs: line in /etc/apt/sources.list.d/debian.sources" >&2; exit 1; }

mkdir -p "$tmp/lists/partial" "$tmp/archives/partial"
printf 'deb [trusted=yes] %s %s main\n' "$uri" "$SUITE" "$uri" "$OLD_SUITE" >"$tmp/sources.list"
apt_opts="-o Dir::Etc::sourcelist=$tmp/sources.list -o Dir::Etc::sourceparts=/dev/null -o Dir::State::Lists=$tmp/lists -o Dir::Cache::archives=$tmp/archives -o APT::Sandbox::User=root"
# shellcheck disable=SC2086
apt-get -qq $apt_opts update

# fetch PACKAGE VERSION FILE-PATTERN...: downloads one linux-source
# package and extracts the patterns (kernel paths kept) into source/linux-<upstream>/.
# Prints the upstream version.
fetch() {
  pkg=$1 ver=$2
  shift 2
  work="$tmp/$pkg"
  mkdir -p "$work"
  # shellcheck disable=SC2086
  (cd "$work" && apt-get -qq $apt_opts download "$pkg=$ver") >&2
  dpkg-deb -x "$work"/*.deb "$work/pkg"
  tarball=$(ls "$work"/pkg/usr/src/linux-source-*.tar.*)
  upstream=$(basename "$tarball" | sed -E 's/^linux-source-([0-9.]+)\.tar\..*$/\1/')
  top="linux-source-$upstream"
  patterns=""
  for p in "$@"; do patterns="$patterns $top/$p"; done
  # Missing patterns are fine (not every arch has every file); tar reports them.
  # shellcheck disable=SC2086
  tar -C "$work" -xf "$tarball" --wildcards --no-wildcards-match-slash $patterns 2>/dev/null || true
  dest="$here/source/linux-$upstream"
  rm -rf "$dest"
  mkdir -p "$dest"
  cp -a "$work/$top/." "$dest/"
  echo "$upstream"
}

new=$(fetch "$PKG" "$VERSION" \
  'arch/*/entry/syscalls/*.tbl' \
  'arch/*/kernel/syscalls/*.tbl' \
  'arch/*/tools/syscall*.tbl' \
  'arch/*/kernel/Makefile.syscalls' \
  'arch/*/Kconfig' \
  'kernel/fork.c' \
  'kernel/sys.c' \
  'kernel/signal.c' \
  'net/socket.c' \
  'fs/select.c' \
  'fs/aio.c' \
  'fs/filesystems.c' \
  'fs/readdir.c' \
  'security/keys/keyctl.c' \
  'kernel/rseq.c' \
  'arch/*/include/asm/signal.h' \
  'arch/s390/include/uapi/asm/sigcontext.h' \
  'arch/x86/kernel/process_64.c' \
  'arch/x86/kernel/process.c' \
  'arch/parisc/kernel/cache.c' \
  'arch/x86/kernel/ioport.c' \
  'arch/x86/kernel/ldt.c' \
  'arch/x86/kernel/vm86_32.c' \
  'arch/x86/kernel/tls.c' \
  'arch/x86/kernel/uprobes.c' \
  'arch/riscv/kernel/sys_riscv.c' \
  'arch/riscv/kernel/sys_hwprobe.c' \
  'arch/s390/kernel/runtime_instr.c' \
  'arch/s390/kernel/guarded_storage.c' \
  'arch/s390/kernel/sthyi.c' \
  'arch/s390/pci/pci_mmio.c' \
  'arch/powerpc/kernel/syscalls.c' \
  'arch/mips/kernel/syscall.c' \
  'arch/mips/mm/cache.c' \
  'arch/sparc/kernel/sys_sparc_64.c' \
  'arch/sparc/kernel/sys_sparc_32.c' \
  'arch/alpha/kernel/osf_sys.c' \
  'arch/m68k/kernel/sys_m68k.c' \
  'arch/csky/kernel/syscall.c' \
  'arch/arc/kernel/process.c' \
  'arch/arm/kernel/traps.c' \
  'arch/*/include/uapi/asm/unistd.h' \
  'arch/*/include/uapi/asm/errno.h' \
  'arch/*/include/uapi/asm/signal.h' \
  'arch/*/include/asm/syscalls.h' \
  'arch/*/include/asm/syscalls_32.h' \
  'arch/*/include/asm/unistd.h' \
  'arch/*/include/uapi/asm/Kbuild' \
  'scripts/syscall.tbl' \
  'include/uapi/asm-generic/unistd.h' \
  'include/uapi/asm-generic/errno-base.h' \
  'include/uapi/asm-generic/errno.h' \
  'include/uapi/asm-generic/signal.h' \
  'include/uapi/asm-generic/signal-defs.h' \
  'include/asm-generic/syscalls.h' \
  'include/uapi/linux/audit.h' \
  'include/uapi/linux/elf-em.h' \
  'include/uapi/linux/net.h' \
  'include/linux/syscalls.h' \
  'include/linux/compat.h' \
  'ipc/syscall.c' \
  'include/uapi/linux/ipc.h' \
  'COPYING' \
  'LICENSES/preferred/GPL-2.0' \
  'LICENSES/exceptions/Linux-syscall-note')
old=$(fetch "$OLD_PKG" "$OLD_VERSION" \
  'arch/s390/kernel/syscalls/syscall.tbl' \
  'arch/s390/include/uapi/asm/unistd.h' \
  'COPYING')

# The generator also reads the syscalls(2) man page (first kernel versions).
cp /usr/share/man/man2/syscalls.2.gz "$here/source/syscalls.2.gz"
mpv=$(dpkg-query -W -f '${Version}' manpages-dev 2>/dev/null || echo unknown)

cat >"$here/source/SOURCE.md" <<MD
# Source of the syscall tables

- Kernel files: Debian package \`$PKG\` version \`$VERSION\` (suite \`$SUITE\`),
  Linux $new; only the files the generator reads are kept, under
  \`linux-$new/\` with their kernel paths.
- s390 (31-bit) table only: Debian package \`$OLD_PKG\` version \`$OLD_VERSION\`
  (suite \`$OLD_SUITE\`), Linux $old, under \`linux-$old/\`: the 31-bit compat ABI
  was removed from later kernels, so the newest table has no numbers for it.
- Licence of the kernel files: GPL-2.0 WITH Linux-syscall-note (uapi headers,
  tables), GPL-2.0 (the rest); see \`COPYING\`.
- First kernel versions: \`syscalls.2.gz\`, the syscalls(2) man page from Debian's
  \`manpages-dev\` $mpv (man-pages project), plus \`versions-extra.txt\` (hand
  written, for calls newer than that page and per-arch wiring; see its header).
- Groups: \`systemd-groups.txt\`, systemd's SystemCallFilter= sets as
  \`systemd-analyze syscall-filter\` prints them (see the file's header).

Reproduce: \`scripts/fetch-source.sh\` (needs apt-get and access to the Debian
archive that /etc/apt/sources.list.d/debian.sources names), then \`pnpm generate\`.
MD
echo "fetch-source: wrote source/linux-$new and source/linux-$old"
