#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-SERIES package with `apt-get download` (no
# root, nothing installed), unpack the tarball it carries into the cache,
# once per package version, and print the tree's path.
#   Usage: source.sh 6.1|6.12
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: source.sh 6.1|6.12}
pkg=linux-source-$series
ver=$(deb_version "$pkg")
[[ -n $ver ]] || die "no package $pkg in the package index (run: sudo apt-get update)"
# The path names the version: test-kernel.sh keys its builds on it.
tree=$KMM_CACHE/src/$pkg-${ver//\~/_}

# Another checkout sharing the cache may be unpacking the same tree.
mkdir -p "$KMM_CACHE/src"
exec 9>"$KMM_CACHE/src/.$pkg.lock"
flock 9
if [[ ! -f $tree/.unpacked ]]; then
	step "fetching $pkg $ver and unpacking it into $tree"
	rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
	fetch_debs "$tree.tmp" "$pkg=$ver"
	deb=$(echo "$tree.tmp/${pkg}_"*.deb)
	# The package holds one file that matters, /usr/src/$pkg.tar.xz:
	# stream it out of the package into tar.
	# shellcheck disable=SC2016 # the inner shell expands them
	with_progress "unpack $pkg" "$KMM_CACHE/src/$pkg.log" \
		bash -c 'set -o pipefail; dpkg-deb --fsys-tarfile "$1" |
			tar -xO "./usr/src/$2.tar.xz" | tar -C "$3" --strip-components=1 -xJ' \
		unpack "$deb" "$pkg" "$tree.tmp"
	rm -f "$deb" "$tree.tmp/download.log"
	rm -rf "$tree" && mv "$tree.tmp" "$tree"
	touch "$tree/.unpacked"
fi
echo "$tree"
