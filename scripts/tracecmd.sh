#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Debian's trace-cmd for the x86 guest: the package and the libraries it
# loads (libtracefs, libtraceevent), fetched with `apt-get download` and
# unpacked into the cache, nothing installed on the host; with the C
# library and the rest it links to copied from the host (the same
# Debian 12 amd64 packages).  Prints a directory laid out as the guest's
# root (usr/bin/trace-cmd, its libraries, the dynamic loader), which
# initramfs.sh copies in.
#   Usage: tracecmd.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(trace-cmd libtracefs1 libtraceevent1)
vers=""
for pkg in "${pkgs[@]}"; do
	ver=$(deb_version "$pkg")
	[[ -n $ver ]] || die "no package $pkg in the package index (run: sudo apt-get update)"
	vers="$vers $pkg=$ver"
done
dir=$KMM_CACHE/trace-cmd/$(printf %s "$vers" | sha256sum | cut -c1-12)

mkdir -p "$KMM_CACHE/trace-cmd"
exec 9>"$KMM_CACHE/trace-cmd/.lock"
flock 9
if [[ ! -x $dir/usr/bin/trace-cmd ]]; then
	step "fetching${vers} into $dir"
	rm -rf "$dir.tmp"
	# shellcheck disable=SC2086 # one word per package
	fetch_debs "$dir.tmp/debs" $vers
	for deb in "$dir.tmp"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir.tmp"
	done
	rm -rf "$dir.tmp/debs" "$dir.tmp/usr/share"
	# What the packages do not hold, from the host: every library the
	# binary resolves to outside the unpacked tree, and the loader.
	lib=$(find "$dir.tmp" -name 'libtracefs.so.*' -printf '%h\n' | head -n 1)
	while read -r path; do
		[[ $path == "$dir.tmp"/* ]] && continue
		mkdir -p "$dir.tmp$(dirname "$path")"
		cp -L "$path" "$dir.tmp$path"
	done < <(LD_LIBRARY_PATH=$lib ldd "$dir.tmp/usr/bin/trace-cmd" |
		sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p')
	if LD_LIBRARY_PATH=$lib ldd "$dir.tmp/usr/bin/trace-cmd" | grep -q 'not found'; then
		LD_LIBRARY_PATH=$lib ldd "$dir.tmp/usr/bin/trace-cmd" >&2
		die "trace-cmd: a library it needs is neither in its packages nor on the host"
	fi
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "$dir"
