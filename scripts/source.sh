#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Unpack Debian's linux-source-SERIES tarball into the cache, once per
# package version, and print the tree's path.   Usage: source.sh 6.1|6.12
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: source.sh 6.1|6.12}
pkg=linux-source-$series
ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
	die "$pkg is not installed (run: sudo apt-get install $pkg)"
tree=$KMM_CACHE/src/$pkg-${ver//\~/_}

# Another checkout sharing the cache may be unpacking the same tree.
mkdir -p "$KMM_CACHE/src"
exec 9>"$KMM_CACHE/src/.$pkg.lock"
flock 9
if [[ ! -f $tree/.unpacked ]]; then
	step "unpacking $pkg $ver into $tree"
	rm -rf "$tree.tmp" && mkdir -p "$tree.tmp"
	with_progress "unpack $pkg" "$KMM_CACHE/src/$pkg.log" \
		tar -C "$tree.tmp" --strip-components=1 -xf "/usr/src/$pkg.tar.xz"
	rm -rf "$tree" && mv "$tree.tmp" "$tree"
	touch "$tree/.unpacked"
fi
echo "$tree"
