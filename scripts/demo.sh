#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: on a fresh Debian 12 machine, install what is missing, build,
# boot the VM (KERNEL, default debian-6.12), show every module working, and
# power off.  Pictures the guest prints between KMM-PLOT markers are drawn
# on the host with gnuplot into demo-output/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${KERNEL:-debian-6.12}
out=$KMM_TOP/demo-output
mkdir -p "$out"

step "checking dependencies"
"$KMM_TOP/scripts/deps.sh" demo
step "preparing kernel $name"
eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
# The guest's architecture, for initramfs.sh and qemu.sh.
export ARCH
build_probes
obj=$("$KMM_TOP/scripts/build.sh" "$name")
"$KMM_TOP/scripts/initramfs.sh" "$obj" "$out/initramfs.cpio.gz"

step "booting $name under QEMU (TCG, about 10 s to a shell)"
"$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$out/initramfs.cpio.gz" demo 2>&1 |
	sed -u 's/\r//g' | tee "$out/console.log" |
	line_awk '/^KMM-PLOT-BEGIN/ { hide = 1; next } /^KMM-PLOT-END/ { hide = 0; next }
	     !hide && !/^KMM-EXIT/ { print; fflush() }'

# Each KMM-PLOT block becomes NAME.dat and, with scripts/plots/NAME.gp, NAME.png.
awk -v dir="$out" '
	/^KMM-PLOT-BEGIN / { f = dir "/" $2 ".dat"; printf "" > f; next }
	/^KMM-PLOT-END/ { close(f); f = ""; next }
	f { print > f }' "$out/console.log"
for dat in "$out"/*.dat; do
	[[ -e $dat ]] || continue
	plot=$(basename "$dat" .dat)
	gp=$KMM_TOP/scripts/plots/$plot.gp
	[[ -f $gp ]] || continue
	gnuplot -e "datafile='$dat'; outfile='$out/$plot.png'" "$gp"
	step "picture: $out/$plot.png"
done
grep -q '^KMM-EXIT 0' "$out/console.log" || die "the demo did not finish (see $out/console.log)"
step "demo finished in $((SECONDS / 60))m$(printf %02d $((SECONDS % 60)))s; the VM has powered off"
