#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# scullp with the everyday tools: random data written with dd at several
# block sizes, read back with cat and dd, compared with cmp.  TAP output.
# Needs scullp.ko loaded; busybox sh is enough.  Runs at the order and qset
# scullp was loaded with (it changes neither), and says which; KMM_PARAMS,
# when set ("scullp_order=4 scullp_qset=7", or "" for the defaults), says
# which they must be.
set -u

dev=/dev/scullp2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

params=/sys/module/scullp/parameters
order=$(cat $params/scullp_order)
qset=$(cat $params/scullp_qset)
page=$(getconf PAGESIZE 2>/dev/null || echo 4096)
quantum=$((page << order))

echo "TAP version 13"
echo "# scullp_dd.sh: runs at scullp_order=$order scullp_qset=$qset"
echo "1..12"

# scullpmem DEVICE: the device's line of /proc/scullpmem (size order qset
# quanta pages mappings).
scullpmem() {
	awk -v d="$1" '$1 == d { print $2, $3, $4, $5, $6, $7 }' /proc/scullpmem
}

# The values are the ones the plan loaded, and every device has them.
# shellcheck disable=SC2086
want() { # want PARAM DEFAULT: its value in KMM_PARAMS
	for kv in ${KMM_PARAMS-}; do
		case $kv in "$1"=*) echo "${kv#*=}" && return ;; esac
	done
	echo "$2"
}
at_load=0
if [ -n "${KMM_PARAMS+set}" ] &&
	[ "$order $qset" != "$(want scullp_order 0) $(want scullp_qset 500)" ]; then
	echo "# loaded with KMM_PARAMS=\"$KMM_PARAMS\", runs at order $order qset $qset"
	at_load=1
fi
n=0
while read -r name _ dorder dqset _; do
	case $name in scullp*) ;; *) continue ;; esac
	n=$((n + 1))
	if [ "$dorder $dqset" != "$order $qset" ]; then
		echo "# $name: order $dorder qset $dqset"
		at_load=1
	fi
done </proc/scullpmem
[ $n -gt 0 ] || at_load=1
ok $at_load "every device at scullp_order=$order scullp_qset=$qset"

# 1 MiB + 1234 bytes: not a multiple of any block size or quantum (and
# more than one qset under scullp_order=4 scullp_qset=7).
head -c $((1024 * 1024 + 1234)) /dev/urandom >"$tmp/src"

for bs in 512 4096 65536 1048576; do
	dd if="$tmp/src" of=$dev bs=$bs 2>/dev/null &&
		cat $dev >"$tmp/out" && cmp "$tmp/src" "$tmp/out"
	ok $? "dd bs=$bs in, cat out, cmp"
done

# What the data took: whole quanta of the load-time order, in its qsets.
size=$((1024 * 1024 + 1234))
quanta=$(((size + quantum - 1) / quantum))
got=$(scullpmem scullp2)
[ "$got" = "$size $order $qset $quanta $((quanta << order)) 0" ] ||
	echo "# /proc/scullpmem scullp2: $got"
ok $? "/proc/scullpmem: $size bytes in $quanta quanta of order $order"

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
