#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest: busybox, the init script, the modules built in OBJ and
# the static probes (on x86 Debian's trace-cmd too, scripts/tracecmd.sh),
# as a gzip'd cpio archive.  ARCH (kernel.sh's, from the environment;
# x86_64 by default) is the guest's architecture: the probes are built
# here in-tree for the host's, and for arm64 by this script with the
# cross compiler into the cache.
#   Usage: [ARCH=arm64] initramfs.sh OBJ OUTPUT [KMODS]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

obj=${1:?usage: initramfs.sh OBJ OUTPUT [KMODS]}
out=${2:?usage: initramfs.sh OBJ OUTPUT [KMODS]}
kmods=${3:-}
arch=${ARCH:-x86_64}
busybox=$("$KMM_TOP/scripts/busybox.sh" "$arch")

# The directory the probe programs are in.
bin=$KMM_TOP/probes
case $arch in
x86_64) ;;
arm64)
	# One directory per content of what the probes are built from (their
	# sources, the headers they include, the compiler, liburing, the
	# kselftest harness), shared by every checkout: a fresh clone of an
	# unchanged tree builds nothing; a change of any of it, everything.
	uring=$("$KMM_TOP/scripts/foreign.sh" "$arch" liburing-dev)
	key=$({
		cd "$KMM_TOP" && cat probes/Makefile probes/*.c probes/*.h probes/lib/* include/*.h include/uapi/*.h
		aarch64-linux-gnu-gcc --version
		echo "$uring" "$("$KMM_TOP/scripts/source.sh" 6.12)"
	} | sha256sum | cut -c1-12)
	bin=$KMM_CACHE/obj/probes-$arch-$key
	mkdir -p "$bin"
	exec 8>"$bin/.lock"
	flock 8
	touch "$bin"	# in use: not one of those pruned below
	if [[ ! -e $bin/.built ]]; then
		step "building the probes for $arch in $bin"
		make -s -j"$(nproc)" -C "$KMM_TOP/probes" OUT="$bin" CC=aarch64-linux-gnu-gcc \
			URING="$uring" >"$bin/build.log" 2>&1 ||
			{ cat "$bin/build.log" >&2; die "the $arch probes did not build"; }
		touch "$bin/.built"
	fi
	# Those of trees not seen for a week go.
	find "$KMM_CACHE/obj" -maxdepth 1 -name "probes-$arch-*" -mtime +7 \
		! -name "probes-$arch-$key" -exec rm -rf {} +
	;;
*) die "initramfs.sh: no guest for ARCH=$arch (x86_64 or arm64)" ;;
esac

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,kmm/modules,kmm/probes,kmm/guest}
cp "$busybox" "$root/bin/busybox"
install -m 755 "$KMM_TOP/scripts/guest/init" "$root/init"
cp "$KMM_TOP"/scripts/guest/*.sh "$root/kmm/guest/"
find "$obj" -name '*.ko' -exec cp {} "$root/kmm/modules/" \;
if [[ -n $kmods ]]; then
	mkdir -p "$root/kmm/kmods"
	cp "$kmods"/*.ko "$kmods"/*.order "$root/kmm/kmods/"
fi
# The shell cases as they are, the programs as built (one per .c file).
cp "$KMM_TOP"/probes/*.sh "$root/kmm/probes/"
for c in "$KMM_TOP"/probes/*.c; do
	p=$bin/$(basename "$c" .c)
	[[ -x $p ]] || die "probe $p is not built"
	case $p in
	*/mapcat | */stopwatch) cp "$p" "$root/bin/" ;;
	*) cp "$p" "$root/kmm/probes/" ;;
	esac
done
# x86's probes also as 32-bit programs (probes/Makefile's NAME-m32), and
# trace-cmd with its libraries.
if [[ $arch == x86_64 ]]; then
	cp -a "$("$KMM_TOP/scripts/tracecmd.sh")"/. "$root/"
	for p in "$bin"/*-m32; do
		[[ -x $p ]] || die "no 32-bit probe is built in $bin"
		cp "$p" "$root/kmm/probes/"
	done
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
