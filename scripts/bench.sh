#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: boot the VM (KERNEL, default debian-6.12) with the drivers
# and the bench module (kmm_bench.ko, built for this alone), run the
# benchmark groups (BENCH=scullp,...; default all), and print tables of
# ratios against baselines timed in the same boot; data and plots go to
# bench-output/.  Exits non-zero when a group failed or a goal was missed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${KERNEL:-debian-6.12}
groups=${BENCH:-scullp,vmalloc,mmap,dma,zcopy,scale}
out=$KMM_TOP/bench-output
mkdir -p "$out"
# Data and plots of an earlier run must not pass for this one's.
rm -f "$out"/*.dat "$out"/*.png

"$KMM_TOP/scripts/deps.sh" bench
eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
# The guest's architecture, for initramfs.sh and qemu.sh.
export ARCH
make -s -C "$KMM_TOP/probes" >/dev/null
obj=$("$KMM_TOP/scripts/build.sh" "$name" --bench)
"$KMM_TOP/scripts/initramfs.sh" "$obj" "$out/initramfs.cpio.gz" "${KMODS:-}"

step "booting $name and running the benchmarks: $groups (a few minutes)"
"$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$out/initramfs.cpio.gz" bench "kmm.bench=$groups" 2>&1 |
	sed -u 's/\r//g' | tee "$out/console.log" |
	line_awk '/^KMM-STEP / { sub(/^KMM-STEP /, "==> "); print; fflush() }
	     /^BENCH-FAILED/ { print; fflush() }'
grep -q '^KMM-EXIT 0' "$out/console.log" || die "the benchmarks did not finish (see $out/console.log)"

status=0
"$KMM_TOP/scripts/bench-report.py" "$out/console.log" "$out" "$groups" |
	tee "$out/report.txt" || status=$?
for gp in "$KMM_TOP"/scripts/plots/bench_*.gp; do
	[[ -e $gp ]] || continue
	# A plot of a group that has never run has no data: skip it.
	missing=$(grep -o "'[a-z_]*\.dat'" "$gp" | tr -d "'" | sort -u |
		while read -r dat; do [[ -e $out/$dat ]] || printf ' %s' "$dat"; done)
	if [[ -n $missing ]]; then
		note "no plot $(basename "$gp" .gp), no data:$missing"
		continue
	fi
	if (cd "$out" && gnuplot "$gp"); then
		step "plot: $out/$(basename "$gp" .gp).png"
	else
		note "plot $(basename "$gp" .gp) failed"
		status=1
	fi
done
((status == 0)) || die "a benchmark group failed or a goal was missed (see $out/report.txt)"
