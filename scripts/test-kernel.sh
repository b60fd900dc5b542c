#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) a test kernel from Debian's linux-source-SERIES and print
# its build directory.  Its config is scripts/config/test.config, what
# every test kernel has, with the fragments that make this one what it is
# (docs/design.md, "Kernels"):
#   6.1          x86-64, KCSAN instead of KASAN (the two do not combine)
#   6.12         x86-64, KASAN
#   6.12-arm64   arm64 with 64 KiB pages, KASAN, cross-built with Debian's
#                gcc-aarch64-linux-gnu
# The cache key is the source package version plus the config's hash.
#   Usage: [KMM_NO_BUILD=1] test-kernel.sh 6.1|6.12|6.12-arm64
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:?usage: test-kernel.sh 6.1|6.12|6.12-arm64}
conf=$KMM_TOP/scripts/config
case $what in
6.1) series=6.1 arch=x86_64 frags=(test kcsan x86_64) ;;
6.12) series=6.12 arch=x86_64 frags=(test kasan x86_64) ;;
6.12-arm64) series=6.12 arch=arm64 frags=(test kasan arm64) ;;
*) die "usage: test-kernel.sh 6.1|6.12|6.12-arm64" ;;
esac
case $arch in
x86_64) cross="" image=bzImage ;;
arm64) cross=aarch64-linux-gnu- image=Image ;;
esac
[[ -z $cross ]] || command -v "${cross}gcc" >/dev/null ||
	die "${cross}gcc not found (run: sudo apt-get install gcc-aarch64-linux-gnu)"

src=$("$KMM_TOP/scripts/source.sh" "$series")
config=$(for f in "${frags[@]}"; do cat "$conf/$f.config"; done)
key=$(basename "$src" | sed 's/^linux-source-//')-$(printf '%s\n' "$config" | sha256sum | cut -c1-12)
out=$KMM_CACHE/build/test-$what-$key

# KMM_NO_BUILD=1: a kernel not built yet is not built now, and exit status
# 3 says so (check.py builds those in the background, its jobs meanwhile),
# at once, even while another checkout sharing the cache builds it (.built
# is written last).
if [[ -n ${KMM_NO_BUILD:-} ]]; then
	[[ -f $out/.built ]] || exit 3
	echo "$out"
	exit 0
fi
# Another checkout sharing the cache may be building the same kernel.
mkdir -p "$KMM_CACHE/build"
exec 9>"$KMM_CACHE/build/.test-$what-$key.lock"
flock 9
if [[ -f $out/.built ]]; then
	echo "$out"
	exit 0
fi

step "building test-$what kernel in $out (about 10-15 minutes on 2 cores)"
mkdir -p "$out"
printf '%s\n' "$config" >"$out/kmm.config"
# kunit_tool writes the fragment as .config, runs olddefconfig and checks
# that every option of the fragment survived, naming any that did not.
if ! (cd "$src" && python3 tools/testing/kunit/kunit.py config \
	--arch="$arch" ${cross:+--cross_compile="$cross"} \
	--kunitconfig="$out/kmm.config" --build_dir="$out") >"$out/config.log" 2>&1; then
	cat "$out/config.log" >&2
	die "test-$what: the fragments did not survive into .config (see above)"
fi
note "config: every option of ${frags[*]/%/.config} is set"
with_progress "build test-$what" "$out/build.log" \
	make -C "$src" O="$out" ARCH="$arch" ${cross:+CROSS_COMPILE="$cross"} \
	-j"$(nproc)" "$image" modules
touch "$out/.built"
echo "$out"
