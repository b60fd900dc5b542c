#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The guest's busybox: Debian's busybox-static package, fetched with
# `apt-get download` and unpacked into the cache (installing it on the
# host would rebuild the host's initramfs: the package triggers
# update-initramfs).  For another architecture's guest, the package of
# that architecture (scripts/foreign.sh).  Prints the binary's path.
#   Usage: busybox.sh [ARCH]    (amd64 or x86_64, the default; arm64)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkg=busybox-static
case ${1:-amd64} in
amd64 | x86_64) ;;
arm64 | aarch64)
	echo "$("$KMM_TOP/scripts/foreign.sh" arm64 "$pkg")/bin/busybox"
	exit
	;;
*) die "busybox.sh: unknown architecture '$1' (amd64, x86_64 or arm64)" ;;
esac
ver=$(deb_version "$pkg")
[[ -n $ver ]] || die "no package $pkg in the package index (run: sudo apt-get update)"
dir=$KMM_CACHE/busybox/${ver//[:~]/_}

mkdir -p "$KMM_CACHE/busybox"
exec 9>"$KMM_CACHE/busybox/.lock"
flock 9
if [[ ! -x $dir/busybox ]]; then
	step "fetching $pkg $ver into $dir"
	rm -rf "$dir.tmp"
	fetch_debs "$dir.tmp" "$pkg=$ver"
	dpkg-deb --fsys-tarfile "$dir.tmp/${pkg}_"*.deb | tar -C "$dir.tmp" -x ./bin/busybox
	mv "$dir.tmp/bin/busybox" "$dir.tmp/busybox"
	rm -rf "$dir.tmp/bin" "$dir.tmp"/*.deb "$dir.tmp/download.log"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir/busybox"
