#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: boot the VM (KERNEL, default debian-6.12) with the drivers
# and the bench module (kmm_bench.ko, built for this alone), run the
# benchmark groups (BENCH=scullp,...; default all), and print tables of
# ratios against baselines timed in the same boot; data and plots go to
# bench-output/.  A run of every group also writes the report and plots
# into docs/bench/ and docs/bench.md's "Latest results".  Exits non-zero
# when a group failed or a goal was missed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${KERNEL:-debian-6.12}
all_groups=scullp,vmalloc,mmap,dma,zcopy,scale
groups=${BENCH:-$all_groups}
out=$KMM_TOP/bench-output
mkdir -p "$out"
# Data and plots of an earlier run must not pass for this one's.
rm -f "$out"/*.dat "$out"/*.png

"$KMM_TOP/scripts/deps.sh" bench
eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
# The guest's architecture, for initramfs.sh and qemu.sh.
export ARCH
build_probes
obj=$("$KMM_TOP/scripts/build.sh" "$name" --bench)
"$KMM_TOP/scripts/initramfs.sh" "$obj" "$out/initramfs.cpio.gz" "${KMODS:-}"

step "booting $name and running the benchmarks: $groups (a few minutes)"
# Multi-threaded: the scale group times two readers on two vCPUs at once.
QEMU_TCG_THREAD=multi "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$out/initramfs.cpio.gz" bench "kmm.bench=$groups" 2>&1 |
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

# The docs keep the last run of every group, whatever its goals said (the
# report says which were missed): its report, its plots, and the section
# of docs/bench.md that shows them.
if [[ $groups == "$all_groups" ]]; then
	docs=$KMM_TOP/docs
	cp "$out/report.txt" "$docs/bench/report.txt"
	rm -f "$docs"/bench/*.png
	cp "$out"/*.png "$docs/bench/" 2>/dev/null || true
	{
		sed '/^## Latest results$/,$d' "$docs/bench.md"
		echo "## Latest results"
		echo
		echo "Written by \`make bench\` from its last run of every group, on $name"
		echo "under QEMU's TCG: the report as it printed"
		echo "([bench/report.txt](bench/report.txt)) and its plots."
		echo
		echo '```text'
		cat "$out/report.txt"
		echo '```'
		echo
		for png in "$docs"/bench/*.png; do
			[[ -e $png ]] || continue
			echo "![$(basename "$png" .png)](bench/$(basename "$png"))"
		done
	} >"$docs/bench.md.new"
	mv "$docs/bench.md.new" "$docs/bench.md"
	step "docs/bench.md and docs/bench/: this run's report and plots"
fi
((status == 0)) || die "a benchmark group failed or a goal was missed (see $out/report.txt)"
