#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Add the tree as a DKMS package, build it for Debian's 6.12 kernel
# against that kernel's headers as unpacked in the cache (the kernel need
# not be installed or running), install it, and check that modprobe's view
# (depmod, modinfo) finds each module.
#
# Everything DKMS touches lies in one temporary directory, removed at the
# end: its tree (--dkmstree), the source (--sourcetree), the modules
# (--installtree, then depmod -b), the key it signs with.  Nothing reaches
# /var/lib/dkms, /usr/src or /lib/modules.  `dkms install` wants root all
# the same: as another user the build is checked and the install skipped,
# with the command that runs it.  Prints "PASS|FAIL|SKIP description" lines.
#   Usage: dkms-check.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# dkms, depmod and modinfo live in /usr/sbin, off a normal user's PATH.
PATH=$PATH:/usr/sbin:/sbin
command -v dkms >/dev/null || die "dkms not found (run: sudo apt-get install dkms)"
eval "$("$KMM_TOP/scripts/kernel.sh" debian-6.12)"
abi=$(basename "$KDIR")
abi=${abi#linux-headers-}
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$KMM_TOP/dkms.conf")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log=$work/dkms.log
mkdir -p "$work/dkms" "$work/src/kmm-drivers-$ver" "$work/root/lib/modules/$abi"
(cd "$KMM_TOP" && git ls-files -co --exclude-standard -- dkms.conf Kbuild include '*/Kbuild' '*.c' '*.h' |
	grep -v '^probes/' | cpio -pdm --quiet "$work/src/kmm-drivers-$ver")

# DKMS signs what it builds when it finds sign-file; left to itself it
# would make a key pair in /var/lib/dkms.  Give it the kbuild package's
# sign-file and a key of its own in the temporary directory.
export sign_file=$KDIR/scripts/sign-file
export mok_signing_key=$work/mok.key mok_certificate=$work/mok.pub

dkms_in_work() {
	dkms "$@" --dkmstree "$work/dkms" --sourcetree "$work/src" \
		--installtree "$work/root/lib/modules" --kernelsourcedir "$KDIR" >>"$log" 2>&1
}

if ! dkms_in_work add "kmm-drivers/$ver" || ! dkms_in_work build "kmm-drivers/$ver" -k "$abi"; then
	tail -n 20 "$log" >&2
	echo "FAIL dkms add and build against the unpacked headers of $abi"
	exit 0
fi
echo "PASS dkms add and build against the unpacked headers of $abi"

if ((EUID != 0)); then
	echo "SKIP dkms install: DKMS wants root even for a private install tree (run: sudo KMM_CACHE=$KMM_CACHE $0)"
	exit 0
fi
if ! dkms_in_work install "kmm-drivers/$ver" -k "$abi" --no-depmod ||
	! depmod -b "$work/root" "$abi" >>"$log" 2>&1; then
	tail -n 20 "$log" >&2
	echo "FAIL dkms install for $abi into a temporary tree"
	exit 0
fi
missing=""
for m in scullp vmalloc_demo mmap_demo dma_demo; do
	modinfo -b "$work/root" -k "$abi" -F filename "$m" 2>/dev/null |
		grep -q "/lib/modules/$abi/updates/dkms/$m\.ko" || missing="$missing $m"
done
if [[ -n $missing ]]; then
	echo "FAIL dkms install for $abi into a temporary tree: modinfo does not find$missing"
else
	echo "PASS dkms install for $abi into a temporary tree; depmod and modinfo find every module"
fi
