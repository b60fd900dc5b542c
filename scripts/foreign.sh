#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Debian packages of another architecture (the arm64 guest's busybox, the
# liburing.a its probes link with), fetched without touching the host's
# dpkg architectures or package state: apt runs with a private state,
# cache and sources list in $KMM_CACHE/apt-ARCH, made from the Debian
# mirrors the host's own index comes from.  The package is unpacked into
# the cache, once per version, and the directory it was unpacked into (as
# if it were /) is printed.
#   Usage: foreign.sh ARCH PACKAGE        (ARCH: a Debian architecture)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:?usage: foreign.sh ARCH PACKAGE}
pkg=${2:?usage: foreign.sh ARCH PACKAGE}
state=$KMM_CACHE/apt-$arch

apt_opts=(
	-o "Dir::State=$state/state" -o "Dir::State::status=$state/status"
	-o "Dir::Cache=$state/cache" -o "Dir::Etc::SourceList=$state/sources.list"
	-o "Dir::Etc::SourceParts=$state/sources.list.d"
	-o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
)
# As root, apt fetches as its user _apt, who cannot write to root's cache.
((EUID != 0)) || apt_opts+=(-o APT::Sandbox::User=root)

# The host's Debian mirrors, suites and components, from its package
# index ("500 http://deb.debian.org/debian bookworm/main amd64 Packages"
# followed by its release line, o=Debian), as one-line sources for ARCH.
sources() {
	local keyring=/usr/share/keyrings/debian-archive-keyring.gpg signed=""
	[[ -r $keyring ]] && signed=" signed-by=$keyring"
	apt-cache policy | awk -v arch="$arch" -v signed="$signed" '
		$3 ~ /\// && $5 == "Packages" { uri = $2; split($3, sc, "/"); next }
		uri && /release .*o=Debian(,|$)/ && !seen[uri " " sc[1] " " sc[2]]++ {
			print "deb [arch=" arch signed "] " uri " " sc[1] " " sc[2]
		}
		{ uri = "" }' | sort
}

# update: the private index, made again when the host's is newer (the
# host's `apt-get update` is when versions move on) or the sources changed.
update() {
	local list
	list=$(sources)
	[[ -n $list ]] || die "no Debian mirror in the host's package index (run: sudo apt-get update)"
	if [[ -f $state/updated && $list == "$(cat "$state/sources.list")" &&
		! /var/lib/apt/lists -nt $state/updated && ${1:-} != force ]]; then
		return
	fi
	step "updating the $arch package index in $state"
	mkdir -p "$state"/{state/lists/partial,cache/archives/partial,sources.list.d}
	: >"$state/status"
	echo "$list" >"$state/sources.list"
	sed 's/^/    /' "$state/sources.list" >&2
	if ! apt-get update -q "${apt_opts[@]}" >"$state/update.log" 2>&1 ||
		grep -q '^\(W\|E\|Err\):' "$state/update.log"; then
		cat "$state/update.log" >&2
		die "apt-get update of the $arch index failed"
	fi
	touch "$state/updated"
}

# version: the version of $pkg for $arch in the private index.
version() {
	apt-cache "${apt_opts[@]}" show --no-all-versions "$pkg:$arch" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1
}

# fetch VERSION DIR: download the package and unpack it into DIR.
fetch() {
	local ver=$1 dir=$2
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	(cd "$dir.tmp" && apt-get download -q "${apt_opts[@]}" "$pkg:$arch=$ver") \
		>"$dir.tmp/download.log" 2>&1 || return 1
	dpkg-deb -x "$dir.tmp/${pkg}_"*"_$arch.deb" "$dir.tmp"
	rm -f "$dir.tmp"/*.deb "$dir.tmp/download.log"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
	touch "$dir/.unpacked"
}

mkdir -p "$state"
exec 9>"$state/.lock"
flock 9
update
for attempt in 1 2; do
	ver=$(version)
	[[ -n $ver ]] || die "no package $pkg for $arch in the index of $state"
	dir=$KMM_CACHE/foreign/$arch/${pkg}_${ver//[:~]/_}
	[[ ! -f $dir/.unpacked ]] || break
	step "fetching $pkg $ver for $arch into $dir"
	fetch "$ver" "$dir" && break
	# The mirror may have moved on since the index was made: once more
	# with a fresh one.
	((attempt == 1)) || { cat "$dir.tmp/download.log" >&2; die "apt-get download $pkg:$arch=$ver failed"; }
	update force
done
echo "$dir"
