#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# qemu.sh's x86 guest against the kernel's own text patching: Debian's 6.12
# switches two scheduler tracepoints on and off N times (default 100) while
# pipes keep both vCPUs busy, and must neither oops nor hang.  Under
# multi-threaded TCG (QEMU_TCG_THREAD=multi) it oopsed on an int3 in
# __schedule() within the first switches, in every try (docs/testing.md).
# Prints one "PASS|FAIL qemu.sh: ..." line.   Usage: tcg-test.sh [N]
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

n=${1:-100}
eval "$("$KMM_TOP/scripts/kernel.sh" debian-6.12)"
busybox=$("$KMM_TOP/scripts/busybox.sh" x86_64)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin"
cp "$busybox" "$work/root/bin/busybox"
cat >"$work/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs tracefs /sys/kernel/tracing
n=$(sed -n 's/.*tcg_test\.n=\([0-9]*\).*/\1/p' /proc/cmdline)
yes | cat >/dev/null &
yes | cat >/dev/null &
cd /sys/kernel/tracing/events/sched
i=0
while [ "$i" -lt "$n" ]; do
	echo 1 >sched_switch/enable
	echo 1 >sched_wakeup/enable
	echo 0 >sched_switch/enable
	echo 0 >sched_wakeup/enable
	i=$((i + 1))
done
echo "TCG-TEST switched $i"
poweroff -f
EOF
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$work/initrd.gz"

threads=${QEMU_TCG_THREAD:-single}
desc="qemu.sh: Debian's 6.12 switches a tracepoint $n times with both vCPUs busy, no oops ($threads-threaded TCG)"
rc=0
timeout --foreground 600 "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$work/initrd.gz" demo "tcg_test.n=$n" \
	>"$work/console" 2>&1 || rc=$?
if grep -q 'Oops\|BUG:\|soft lockup\|rcu_preempt self-detected stall' "$work/console"; then
	echo "FAIL $desc: $(grep -m1 'Oops\|BUG:\|soft lockup\|self-detected stall' "$work/console" | sed 's/^\[[ 0-9.]*\] //')"
elif ((rc != 0)) || ! grep -q "^TCG-TEST switched $n" "$work/console"; then
	echo "FAIL $desc: QEMU exited with status $rc before the last switch"
else
	echo "PASS $desc"
fi
