#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the modules for kernel NAME with W=1 in a copy of the tree of its
# own (so that kernels do not share object files), and print the copy's
# path.  Any compiler warning fails the build.  A kernel of another
# architecture (kernel.sh's ARCH) is built for with its cross compiler.
# --bench adds make bench's module, kmm_bench.ko (bench/), which nothing
# else builds or loads.
#   Usage: build.sh NAME [--bench]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${1:?usage: build.sh KERNEL [--bench]}
bench=()
case ${2:-} in
"") ;;
--bench) bench=(KMM_BENCH=m) ;;
*) die "usage: build.sh KERNEL [--bench]" ;;
esac
eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
# One object tree per checkout, kernel and set of modules: two clones, or
# make check and make bench, may build at once.
obj=$KMM_CACHE/obj/$(printf %s "$KMM_TOP" | md5sum | cut -c1-8)-$name${bench:+-bench}

rm -rf "$obj" && mkdir -p "$obj"
(cd "$KMM_TOP" && git ls-files -co --exclude-standard -- Kbuild include '*/Kbuild' '*.c' '*.h' |
	grep -v '^probes/' | cpio -pdm --quiet "$obj")

step "building the modules for $name (W=1)${bench:+ with kmm_bench}"
if ! make -C "$KDIR" M="$obj" ARCH="$ARCH" CROSS_COMPILE="$CROSS_COMPILE" W=1 "${bench[@]}" modules \
	>"$obj/build.log" 2>&1; then
	cat "$obj/build.log" >&2
	die "module build for $name failed"
fi
# Case-insensitive: modpost says "WARNING: modpost: ...".
if grep -iE 'warning:|error:' "$obj/build.log" >&2; then
	die "module build for $name has warnings (see above)"
fi
note "built: $(cd "$obj" && find . -name '*.ko' | sort | tr '\n' ' ')"
echo "$obj"
