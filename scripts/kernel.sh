#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make kernel NAME (docs/design.md, "Kernels") ready to build for and to boot, and
# print shell assignments for it:
#   KERNEL=..  KDIR=<headers or build tree>  BZIMAGE=<kernel image>
#   ARCH=x86_64|arm64  CROSS_COMPILE=<prefix of the cross tools, or empty>
#   KMODS=<directory of the kernel's own modules the guest loads, or empty>
#   SRC=<matching source tree, for kunit.py and checkpatch>  KUNIT=y|n
# Debian's kernels come as packages fetched with `apt-get download` and
# unpacked into the cache: nothing is installed on the host, nothing
# reaches its /boot or /lib/modules, and no root is needed.
# KMM_NO_BUILD=1: a test kernel that is not built yet is not built now:
# exit status 3.
# Usage: kernel.sh debian-6.1|debian-6.12|test-6.1|test-6.12|test-6.12-arm64
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: kernel.sh debian-6.1|debian-6.12|test-6.1|test-6.12|test-6.12-arm64}

# The versioned package a Debian meta package points at today.
resolve() {
	apt-cache depends "$1" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-[a-z]*-[0-9].*\)$/\1/p' | head -n 1
}

# fetch_image IMAGE ABI DIR: the kernel image, DIR/vmlinuz, of Debian's
# linux-image package, and the one module of it the guest loads,
# DIR/kmods/brd.ko (a RAM disk for the O_DIRECT probes), uncompressed for
# busybox's insmod; the other modules stay in the package.
fetch_image() {
	local image=$1 abi=$2 dir=$3 tmp=$3/image.tmp
	step "fetching $image (the kernel image and brd.ko) into $dir"
	rm -rf "$tmp"
	fetch_debs "$tmp" "$image"
	dpkg-deb --fsys-tarfile "$tmp/${image}_"*.deb |
		tar -C "$tmp" -x --wildcards "./boot/vmlinuz-$abi" \
			"./lib/modules/$abi/kernel/drivers/block/brd.ko*"
	find "$tmp/lib" -name 'brd.ko.xz' -exec xz -d {} +
	mkdir -p "$dir/kmods"
	mv "$tmp/lib/modules/$abi/kernel/drivers/block/brd.ko" "$dir/kmods/"
	mv "$tmp/boot/vmlinuz-$abi" "$dir/vmlinuz"
	rm -rf "$tmp"
}

# fetch_headers ABI DIR: Debian's linux-headers-ABI, the -common package
# it includes and the linux-kbuild package whose scripts and tools it
# links to, unpacked into DIR/headers as if DIR/headers were /.
fetch_headers() {
	local abi=$1 dir=$2 tmp=$2/headers.tmp pkgs kdir deb version said
	mapfile -t pkgs < <(apt-cache depends "linux-headers-$abi" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[^ ]*\)$/\1/p')
	((${#pkgs[@]} == 2)) ||
		die "linux-headers-$abi: expected a -common and a kbuild package, found: ${pkgs[*]:-none}"
	pkgs+=("linux-headers-$abi")
	step "fetching ${pkgs[*]} into $dir/headers"
	rm -rf "$tmp"
	fetch_debs "$tmp" "${pkgs[@]}"
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp"
	done
	# Debian's version 6.12.117-1~deb12u1 is upstream's 6.12.117.
	version=$(dpkg-deb -f "$tmp/linux-headers-${abi}_"*.deb Version)
	version=${version%%-*}
	rm -f "$tmp"/*.deb "$tmp/download.log"
	# /lib/modules/ABI/{build,source} are absolute links back to /usr/src
	# of the host, and the documentation is not needed.
	rm -rf "${tmp:?}/lib" "${tmp:?}/usr/share"

	# The trees link to each other with relative links (scripts ->
	# ../../lib/linux-kbuild-.../scripts), which hold inside the cache.
	# The one absolute path is the ABI tree's Makefile, a single line
	# including /usr/src/linux-headers-*-common/Makefile: make it include
	# the -common tree beside it, wherever the cache lies.
	kdir=$tmp/usr/src/linux-headers-$abi
	# shellcheck disable=SC2016 # $(...) is make's, not the shell's
	sed -i 's|^include /usr/src/|include $(dir $(lastword $(MAKEFILE_LIST)))../|' "$kdir/Makefile"
	if grep -q '/usr/' "$kdir/Makefile" || find "$tmp" -lname '/*' | grep -q .; then
		find "$tmp" -lname '/*' -printf '%p -> %l\n' >&2
		die "linux-headers-$abi: an absolute path is left in the unpacked headers (see above)"
	fi
	# Only a Makefile that finds the -common tree knows the version.
	said=$(make -s -C "$kdir" kernelversion 2>&1) || true
	[[ $said == "$version" ]] ||
		die "linux-headers-$abi: the unpacked tree does not work: make kernelversion said '$said'"
	rm -rf "$dir/headers"
	mv "$tmp" "$dir/headers"
}

debian_kernel() {
	local series=$1 meta image abi dir
	case $series in
	6.1) meta=linux-image-amd64 ;;
	6.12) meta=linux-image-6.12-amd64 ;;
	esac
	image=$(resolve "$meta")
	[[ -n $image ]] || die "cannot resolve $meta (run: sudo apt-get update)"
	abi=${image#linux-image-}
	dir=$KMM_CACHE/kernels/$abi

	# Another checkout sharing the cache may be fetching the same kernel.
	mkdir -p "$dir"
	exec 9>"$dir/.lock"
	flock 9
	[[ -f $dir/vmlinuz && -f $dir/kmods/brd.ko ]] || fetch_image "$image" "$abi" "$dir"
	[[ -d $dir/headers ]] || fetch_headers "$abi" "$dir"
	exec 9>&-

	echo "KERNEL=$name"
	echo "ARCH=x86_64"
	echo "CROSS_COMPILE="
	echo "KMODS=$dir/kmods"
	echo "KDIR=$dir/headers/usr/src/linux-headers-$abi"
	echo "BZIMAGE=$dir/vmlinuz"
	echo "SRC=$("$KMM_TOP/scripts/source.sh" "$series")"
	echo "KUNIT=n"
}

test_kernel() {
	local what=$1 out
	out=$("$KMM_TOP/scripts/test-kernel.sh" "$what") || exit
	echo "KERNEL=$name"
	case $what in
	*-arm64)
		echo "ARCH=arm64"
		echo "CROSS_COMPILE=aarch64-linux-gnu-"
		echo "BZIMAGE=$out/arch/arm64/boot/Image"
		;;
	*)
		echo "ARCH=x86_64"
		echo "CROSS_COMPILE="
		echo "BZIMAGE=$out/arch/x86/boot/bzImage"
		;;
	esac
	echo "KMODS="
	echo "KDIR=$out"
	echo "SRC=$("$KMM_TOP/scripts/source.sh" "${what%-arm64}")"
	echo "KUNIT=y"
}

case $name in
debian-6.1 | debian-6.12) debian_kernel "${name#debian-}" ;;
test-6.1 | test-6.12 | test-6.12-arm64) test_kernel "${name#test-}" ;;
*) die "unknown kernel '$name': debian-6.1, debian-6.12, test-6.1, test-6.12 or test-6.12-arm64" ;;
esac
