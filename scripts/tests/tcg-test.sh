#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# qemu.sh's x86 guest against the kernel's own text patching: Debian's 6.12
# switches two scheduler tracepoints on and off N times (default 300) while
# two pipes keep both vCPUs busy (both still running at the end), and must
# end untainted, with nothing for the log gate (parse-log.py --gate) in its
# whole kernel log, and no hang.  QEMU_TCG_THREAD=multi oopsed on an int3
# in __schedule() in every try of 300 switches (docs/testing.md).
# Prints one "PASS|FAIL qemu.sh: ..." line and keeps the console in DIR
# (default: a temporary one, gone on exit).
#   Usage: tcg-test.sh [N [DIR]]
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

n=${1:-300}
threads=${QEMU_TCG_THREAD:-single}
desc="qemu.sh: Debian's 6.12 switches two tracepoints $n times with both vCPUs busy, no oops ($threads-threaded TCG)"
fail() {
	echo "FAIL $desc: $*"
	exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
console=${2:-$work}/tcg-test.console
where=${2:+ (console: $console)}
env=$("$KMM_TOP/scripts/kernel.sh" debian-6.12) || fail "kernel.sh debian-6.12 failed"
eval "$env"
busybox=$("$KMM_TOP/scripts/busybox.sh" x86_64) || fail "busybox.sh x86_64 failed"
mkdir -p "$work/root/bin"
cp "$busybox" "$work/root/bin/busybox"
# The guest says how far it got; only the last line counts as done.
cat >"$work/root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs tracefs /sys/kernel/tracing
mount -t devtmpfs devtmpfs /dev
n=$(sed -n 's/.*tcg_test\.n=\([0-9]*\).*/\1/p' /proc/cmdline)
yes | cat >/dev/null &
yes | cat >/dev/null &
i=0
if cd /sys/kernel/tracing/events/sched; then
	while [ "$i" -lt "$n" ]; do
		echo 1 >sched_switch/enable && echo 1 >sched_wakeup/enable &&
			echo 0 >sched_switch/enable && echo 0 >sched_wakeup/enable ||
			break
		i=$((i + 1))
	done
fi
# loglevel=4 keeps a WARNING off the console: the whole log, for the gate.
dmesg
echo "TCG-TEST switched $i load $(pidof cat | wc -w) tainted $(cat /proc/sys/kernel/tainted)"
poweroff -f
EOF
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$work/initrd.gz"

rc=0
timeout --foreground 600 "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$work/initrd.gz" demo "tcg_test.n=$n" 2>&1 |
	tr -d '\r' >"$console" || rc=$?
# The log gate of make check's boots, on this console.
if ! report=$(python3 "$KMM_TOP/scripts/parse-log.py" --gate "$console" 2>&1); then
	fail "$report$where"
elif ((rc == 124)); then
	fail "QEMU was stopped after 600 s$where"
elif ((rc != 0)); then
	fail "QEMU exited with status $rc$where"
elif ! grep -q '\] Linux version ' "$console"; then
	fail "the guest printed no kernel log$where"
elif ! grep -q "^TCG-TEST switched $n load 2 tainted 0$" "$console"; then
	fail "the guest ended: '$(grep -m1 '^TCG-TEST' "$console" || echo nothing)'$where"
fi
echo "PASS $desc"
