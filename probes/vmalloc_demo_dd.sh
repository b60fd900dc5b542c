#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vmalloc_demo with the everyday tools: the buffer filled with dd, read
# back with cat and dd, compared with cmp; a write past the end fails
# with "No space left on device".  TAP output.  Needs vmalloc_demo.ko
# loaded (any size); busybox sh is enough.
set -u

dev=/dev/vmalloc_demo
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..6"

page=$(getconf PAGESIZE 2>/dev/null || echo 4096)
param=$(cat /sys/module/vmalloc_demo/parameters/size)
size=$(((param + page - 1) / page * page))

head -c "$size" /dev/urandom >"$tmp/src"

dd if="$tmp/src" of=$dev bs=4096 2>/dev/null && cat $dev >"$tmp/out" &&
	cmp "$tmp/src" "$tmp/out"
ok $? "dd bs=4096 in, cat out: $size bytes, the same"

dd if=$dev of="$tmp/out" bs=1000 2>/dev/null && cmp "$tmp/src" "$tmp/out"
ok $? "dd bs=1000 out: stops at the end of the buffer"

# One byte more than fits: dd reports the error, the buffer holds what fit.
head -c 1 /dev/urandom >>"$tmp/src"
dd if="$tmp/src" of=$dev bs=$((size + 1)) 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && grep -q 'No space left on device' "$tmp/err"
ok $? "a second write past the end fails with ENOSPC"
head -c "$size" "$tmp/src" | cmp - $dev
ok $? "what fitted was written"

# dd seek= patches the middle without touching the rest.
head -c 300 /dev/urandom >"$tmp/patch"
dd if="$tmp/patch" of=$dev bs=100 seek=3 conv=notrunc 2>/dev/null
{ head -c 300 "$tmp/src"; cat "$tmp/patch"; tail -c +601 "$tmp/src" | head -c $((size - 600)); } >"$tmp/want"
cmp "$tmp/want" $dev
ok $? "dd seek= patches the middle"

[ "$(wc -c <$dev)" -eq "$size" ]
ok $? "wc -c sees exactly the buffer's size"

tap_exit
