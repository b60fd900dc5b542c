# SPDX-License-Identifier: GPL-2.0
# The benchmarks inside the VM.  Every figure is a time in nanoseconds
# (stopwatch around a dd); the host turns them into medians and ratios
# against the baselines measured here, in the same boot.  One line each:
#   BENCH <group> <key=value>... <measure>=<ns>
# shellcheck shell=sh
. /kmm/guest/lib.sh

reps=5
groups=$(sed -n 's/.*kmm\.bench=\([a-z_,]*\).*/\1/p' /proc/cmdline | tr , ' ')
[ -n "$groups" ] || groups="scullp"

# t NAME CMD...: "NAME=<ns>", the time CMD took.
t() {
	name=$1
	shift
	printf '%s=%s' "$name" "$(stopwatch "$@")"
}

bench_scullp() {
	mib=16
	for order in 0 2 4; do
		echo "KMM-STEP scullp: dd at order $order"
		load scullp scullp_order=$order || return 1
		for bs in 512 4096 65536 1048576; do
			count=$((mib * 1048576 / bs))
			r=0
			while [ $r -lt $reps ]; do
				echo "BENCH scullp order=$order bs=$bs bytes=$((mib << 20))" \
					"$(t scullp_write dd if=/dev/zero of=/dev/scullp0 bs=$bs count=$count)" \
					"$(t scullp_read dd if=/dev/scullp0 of=/dev/null bs=$bs)" \
					"$(t tmpfs_write dd if=/dev/zero of=/tmp/bench bs=$bs count=$count)" \
					"$(t tmpfs_read dd if=/tmp/bench of=/dev/null bs=$bs)" \
					"$(t zero_null dd if=/dev/zero of=/dev/null bs=$bs count=$count)"
				r=$((r + 1))
			done
		done
		rm -f /tmp/bench
		unload scullp
	done

	# Reading the last 16 MiB must cost the same however large the
	# device: finding a quantum must not walk from the start (LDD3's
	# scullp_follow did, so its cost grew with the offset).
	echo "KMM-STEP scullp: read cost as the device grows"
	load scullp || return 1
	for size in 16 32 64 128 256; do
		dd if=/dev/zero of=/dev/scullp1 bs=1M count=$size 2>/dev/null
		r=0
		while [ $r -lt $reps ]; do
			echo "BENCH scullp_growth size_mib=$size bytes=$((16 << 20))" \
				"$(t scullp_read dd if=/dev/scullp1 of=/dev/null bs=65536 \
					skip=$(((size - 16) * 16)) count=256)"
			r=$((r + 1))
		done
	done
	: >/dev/scullp1
	unload scullp
}

for g in $groups; do
	if command -v "bench_$g" >/dev/null 2>&1 || type "bench_$g" >/dev/null 2>&1; then
		"bench_$g" || echo "BENCH-FAILED $g"
	else
		echo "BENCH-FAILED $g: no such group"
	fi
done
