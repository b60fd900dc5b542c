#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) a test kernel from Debian's linux-source-SERIES with the
# fragment scripts/config/test.config, and print its build directory.
# The cache key is the source package version plus the fragment's hash.
#   Usage: test-kernel.sh 6.1|6.12
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: test-kernel.sh 6.1|6.12}
frag=$KMM_TOP/scripts/config/test.config
src=$("$KMM_TOP/scripts/source.sh" "$series")
key=$(basename "$src" | sed 's/^linux-source-//')-$(sha256sum "$frag" | cut -c1-12)
out=$KMM_CACHE/build/test-$key

# Another checkout sharing the cache may be building the same kernel.
mkdir -p "$KMM_CACHE/build"
exec 9>"$KMM_CACHE/build/.test-$key.lock"
flock 9
if [[ -f $out/.built ]]; then
	echo "$out"
	exit 0
fi

step "building test-$series kernel in $out (about 10-15 minutes on 2 cores)"
mkdir -p "$out"
# kunit_tool writes the fragment as .config, runs olddefconfig and checks
# that every option of the fragment survived, naming any that did not.
if ! (cd "$src" && python3 tools/testing/kunit/kunit.py config \
	--arch=x86_64 --kunitconfig="$frag" --build_dir="$out") >"$out/config.log" 2>&1; then
	cat "$out/config.log" >&2
	die "test-$series: the fragment did not survive into .config (see above)"
fi
note "config: every option of $(basename "$frag") is set"
with_progress "build test-$series" "$out/build.log" \
	make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules
touch "$out/.built"
echo "$out"
