#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make kernel NAME (SPEC section 2) ready to build for and to boot, and
# print shell assignments for it:
#   KERNEL=..  KDIR=<headers or build tree>  BZIMAGE=<kernel image>
#   KMODS=<directory of the kernel's own modules the guest loads, or empty>
#   SRC=<matching source tree, for kunit.py and checkpatch>  KUNIT=y|n
# Usage: kernel.sh debian-6.1|debian-6.12|test-6.1|test-6.12
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: kernel.sh debian-6.1|debian-6.12|test-6.1|test-6.12}

# The versioned package a Debian meta package points at today.
resolve() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-[a-z]*-[0-9].*\)$/\1/p' | head -n 1
}

debian_kernel() {
	local series=$1 meta_image meta_headers image abi dir
	case $series in
	6.1) meta_image=linux-image-amd64 meta_headers=linux-headers-amd64 ;;
	6.12) meta_image=linux-image-6.12-amd64 meta_headers=linux-headers-6.12-amd64 ;;
	esac
	image=$(resolve "$meta_image")
	[[ -n $image ]] || die "cannot resolve $meta_image (run: apt-get update)"
	abi=${image#linux-image-}

	# Headers: Debian's package, so that KDIR is what a user would have.
	if [[ ! -d /usr/src/linux-headers-$abi ]]; then
		((EUID == 0)) || die "missing linux-headers-$abi (run: sudo apt-get install $meta_headers)"
		step "installing linux-headers-$abi"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "$meta_headers" >/dev/null
	fi

	# Image: unpacked into the cache, never installed into /boot.
	dir=$KMM_CACHE/kernels/$abi
	if [[ ! -f $dir/vmlinuz ]]; then
		step "fetching $image into $dir"
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		(cd "$dir.tmp" && apt-get download -q "$image" >/dev/null 2>&1) ||
			die "apt-get download $image failed"
		dpkg-deb --fsys-tarfile "$dir.tmp"/*.deb |
			tar -C "$dir.tmp" -x "./boot/vmlinuz-$abi"
		mv "$dir.tmp/boot/vmlinuz-$abi" "$dir.tmp/vmlinuz"
		rm -rf "$dir.tmp/boot" "$dir.tmp"/*.deb
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	# Modules of Debian's that the guest loads (brd: a RAM disk for the
	# O_DIRECT probes), from the same package, uncompressed for busybox.
	if [[ ! -f $dir/kmods/brd.ko ]]; then
		step "fetching brd.ko of $image into $dir/kmods"
		rm -rf "$dir/kmods.tmp" && mkdir -p "$dir/kmods.tmp"
		(cd "$dir/kmods.tmp" && apt-get download -q "$image" >/dev/null 2>&1) ||
			die "apt-get download $image failed"
		dpkg-deb --fsys-tarfile "$dir/kmods.tmp"/*.deb |
			tar -C "$dir/kmods.tmp" -x --wildcards "./lib/modules/$abi/kernel/drivers/block/brd.ko*"
		find "$dir/kmods.tmp/lib" -name 'brd.ko.xz' -exec xz -d {} +
		mkdir -p "$dir/kmods"
		mv "$dir/kmods.tmp/lib/modules/$abi/kernel/drivers/block/brd.ko" "$dir/kmods/"
		rm -rf "$dir/kmods.tmp"
	fi
	echo "KERNEL=$name"
	echo "KMODS=$dir/kmods"
	echo "KDIR=/usr/src/linux-headers-$abi"
	echo "BZIMAGE=$dir/vmlinuz"
	echo "SRC=$("$KMM_TOP/scripts/source.sh" "$series")"
	echo "KUNIT=n"
}

test_kernel() {
	local series=$1 out
	out=$("$KMM_TOP/scripts/test-kernel.sh" "$series")
	echo "KERNEL=$name"
	echo "KMODS="
	echo "KDIR=$out"
	echo "BZIMAGE=$out/arch/x86/boot/bzImage"
	echo "SRC=$("$KMM_TOP/scripts/source.sh" "$series")"
	echo "KUNIT=y"
}

case $name in
debian-6.1 | debian-6.12) debian_kernel "${name#debian-}" ;;
test-6.1 | test-6.12) test_kernel "${name#test-}" ;;
*) die "unknown kernel '$name': debian-6.1, debian-6.12, test-6.1 or test-6.12" ;;
esac
