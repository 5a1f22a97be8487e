#!/bin/sh
# /init of the test-VM initramfs (busybox sh). Mounts the kernel file systems,
# credits entropy where the pool is not ready (Node cannot start otherwise on
# kernels without getrandom), runs the suite as root and as an ordinary user
# (under the emulation filter when the command line names a personality),
# prints the results between markers on the console and powers off.
/bin/busybox mkdir -p /proc /sys /dev /tmp /usr/sbin /usr/bin /sbin
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s /bin
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
mount -t tmpfs -o mode=1777 tmpfs /tmp
# The enforcement suite connects to listeners on 127.0.0.1.
ip link set lo up
echo "@@SB-GUEST-BOOT $(uname -r)"
/sbin/sb-entropy
suite=/sb/node_modules/@sb/test-vms/dist/guest/suite.js
persona=$(sed -n 's/.*sb\.personality=\([^ ]*\).*/\1/p' /proc/cmdline)
emulate=""
[ -n "$persona" ] && emulate="-o -f /etc/sb/emulate-$persona.bpf"
cd /tmp
# shellcheck disable=SC2086
/sbin/sb-run-as $emulate -- /usr/bin/node "$suite" root
echo "@@SB-EXIT root $?"
# shellcheck disable=SC2086
HOME=/tmp /sbin/sb-run-as -u 65534 -g 65534 $emulate -- /usr/bin/node "$suite" user
echo "@@SB-EXIT user $?"
echo "@@SB-GUEST-DONE"
poweroff -f
