#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# scullp with the everyday tools: random data written with dd at several
# block sizes, read back with cat and dd, compared with cmp.  TAP output.
# Needs scullp.ko loaded; busybox sh is enough.
set -u

dev=/dev/scullp2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..10"

# 1 MiB + 1234 bytes: not a multiple of any block size or quantum (and
# more than one qset under scullp_order=4 scullp_qset=7).
head -c $((1024 * 1024 + 1234)) /dev/urandom >"$tmp/src"

for bs in 512 4096 65536 1048576; do
	dd if="$tmp/src" of=$dev bs=$bs 2>/dev/null &&
		cat $dev >"$tmp/out" && cmp "$tmp/src" "$tmp/out"
	ok $? "dd bs=$bs in, cat out, cmp"
done

for bs in 1000 8192 262144; do
	dd if=$dev of="$tmp/out" bs=$bs 2>/dev/null && cmp "$tmp/src" "$tmp/out"
	ok $? "dd bs=$bs out, cmp"
done

# A read-write open (the shell's <>) keeps the data; dd seek= patches the
# middle of it.  (A write-only open, as with of=, would empty the device.)
head -c 5000 /dev/urandom >"$tmp/patch"
dd if="$tmp/patch" bs=1000 seek=777 conv=notrunc 2>/dev/null 1<>$dev
{ head -c 777000 "$tmp/src"; cat "$tmp/patch"; tail -c +782001 "$tmp/src"; } >"$tmp/want"
cat $dev >"$tmp/out" && cmp "$tmp/want" "$tmp/out"
ok $? "dd seek= through a read-write open patches the middle"

# Each write-only open empties the device first, as LDD3's does: even >>.
printf 'one\n' >$dev && printf 'two\n' >>$dev
[ "$(cat $dev)" = "two" ]
ok $? "shell > then >> leaves only the second write"

: >$dev
[ "$(wc -c <$dev)" -eq 0 ]
ok $? "truncating open empties the device"

tap_exit
