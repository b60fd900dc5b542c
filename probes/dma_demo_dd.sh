#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dma_demo with the everyday tools: random data written to /dev/dma_demo0
# with dd at several block sizes, read back with cat and dd, compared with
# cmp; the interrupt counter grows with each transfer.  TAP output.
# Needs dma_demo.ko loaded; busybox sh is enough.
set -u

dev=/dev/dma_demo0
sysfs=/sys/class/misc/dma_demo0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

# Is there a QEMU edu device (PCI 1234:11e8) at all?
have_edu() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor" 2>/dev/null):$(cat "$d/device" 2>/dev/null)" = \
			0x1234:0x11e8 ] && return 0
	done
	return 1
}

echo "TAP version 13"
if [ ! -e $dev ]; then
	# Only when there is no edu device at all: QEMU without -device edu.
	# An edu device without a node is a driver that failed to bind: fail.
	if have_edu; then
		echo "1..1"
		ok 1 "$dev exists for the edu device"
		tap_exit
	fi
	echo "1..0 # SKIP no QEMU edu device (PCI 1234:11e8)"
	exit 0
fi
echo "1..6"

# The file's size: 4095 bytes, or 4096 with full_buffer=Y.
size=4095
grep -q Y /sys/module/dma_demo/parameters/full_buffer && size=4096
head -c $size /dev/urandom >"$tmp/src"

irq=$(cat $sysfs/interrupts)
dd if="$tmp/src" of=$dev bs=$size 2>/dev/null && cat $dev >"$tmp/out" &&
	cmp "$tmp/src" "$tmp/out"
ok $? "dd bs=$size in, cat out, cmp"

after=$(cat $sysfs/interrupts)
[ "$after" -ge $((irq + 2)) ]
ok $? "interrupts grew by at least 2 ($irq -> $after)"

head -c $size /dev/urandom >"$tmp/src"
dd if="$tmp/src" of=$dev bs=1000 2>/dev/null &&
	dd if=$dev of="$tmp/out" bs=777 2>/dev/null && cmp "$tmp/src" "$tmp/out"
ok $? "dd bs=1000 in, dd bs=777 out, cmp"

# A read-write open keeps what is around the patch.
head -c 100 /dev/urandom >"$tmp/patch"
dd if="$tmp/patch" bs=100 seek=20 conv=notrunc 2>/dev/null 1<>$dev
{ head -c 2000 "$tmp/src"; cat "$tmp/patch"; tail -c +2101 "$tmp/src"; } >"$tmp/want"
cat $dev >"$tmp/out" && cmp "$tmp/want" "$tmp/out"
ok $? "dd seek= patches the middle"

# One byte past the end does not fit: dd reports the error.
! printf x | dd of=$dev bs=1 seek=$size conv=notrunc 2>/dev/null
ok $? "a write at the end fails (ENOSPC)"

[ "$(dd if=$dev bs=1 skip=$size 2>/dev/null | wc -c)" -eq 0 ]
ok $? "a read at the end is EOF"

tap_exit
