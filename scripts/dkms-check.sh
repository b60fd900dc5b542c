#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the tree as a DKMS package, build and install it for Debian's
# 6.12 kernel (headers only: that kernel need not be running), check that
# modprobe's view (modinfo, depmod) finds each module, and remove it again.
# Prints one "PASS|FAIL|SKIP description" line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if ((EUID != 0)); then
	echo "SKIP dkms: needs root"
	exit 0
fi
eval "$("$KMM_TOP/scripts/kernel.sh" debian-6.12)"
abi=$(basename "$KDIR" | sed 's/^linux-headers-//')
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$KMM_TOP/dkms.conf")
src=/usr/src/kmm-drivers-$ver
log=$(mktemp)

# One DKMS check at a time on a machine: they share /var/lib/dkms.
exec 9>/var/lock/kmm-drivers-dkms.lock
flock 9

cleanup() {
	dkms remove "kmm-drivers/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
cleanup
trap 'cleanup; rm -f "$log"' EXIT
mkdir -p "$src"
(cd "$KMM_TOP" && git ls-files -co --exclude-standard -- dkms.conf Kbuild include '*/Kbuild' '*.c' '*.h' |
	grep -v '^probes/' | cpio -pdm --quiet "$src")

if dkms add "kmm-drivers/$ver" >>"$log" 2>&1 &&
	dkms build "kmm-drivers/$ver" -k "$abi" >>"$log" 2>&1 &&
	dkms install "kmm-drivers/$ver" -k "$abi" >>"$log" 2>&1; then
	missing=""
	for m in scullp vmalloc_demo mmap_demo dma_demo; do
		modinfo -k "$abi" -F filename "$m" 2>/dev/null | grep -q "updates/dkms/$m.ko" ||
			missing="$missing $m"
	done
	if [[ -z $missing ]]; then
		echo "PASS dkms add, build and install for $abi; modinfo finds every module"
	else
		echo "FAIL dkms install for $abi: modinfo does not find$missing"
	fi
else
	tail -n 20 "$log" >&2
	echo "FAIL dkms add/build/install for $abi"
fi
