#!/bin/sh
# Installs the Debian peers the benchmark compares sb against, plus what the
# harness itself needs (gcc, make: the build and syscall-micro workloads; time,
# util-linux: measurement helpers). Run as root: sh bench/scripts/install-peers.sh
#
#   bubblewrap  bwrap, the namespace sandbox (also used by srt)
#   firejail    firejail --noprofile
#   proot       proot (ptrace-based chroot; Debian's build has no seccomp acceleration)
#   strace      strace -f -o /dev/null (the cost of ptrace tracing alone)
#   socat       needed by @anthropic-ai/sandbox-runtime (srt) for its network proxy bridge
#   ripgrep     needed by srt (it searches for files to protect)
#
# srt itself comes from npm as a devDependency of @sb/bench (pnpm install).
# sydbox-1 is not packaged in Debian 12: build it yourself and point
# SB_BENCH_SYDBOX at the binary.
set -eu

PEERS="bubblewrap firejail proot strace socat ripgrep"
TOOLS="gcc libc6-dev make"

if [ "$(id -u)" -ne 0 ]; then
  echo "install-peers: run as root (apt-get install needs it): sudo sh $0" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-peers: apt-get not found; install these with your package manager: $PEERS $TOOLS" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package lists is intended
apt-get install -y -qq --no-install-recommends $PEERS $TOOLS
for b in bwrap firejail proot strace socat rg gcc make; do
  printf '%-9s %s\n' "$b" "$(command -v "$b" || echo 'MISSING')"
done
