#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Check that the Debian 12 tools a command needs are installed.  As root,
# the missing ones are installed; otherwise one `sudo apt-get install`
# line names them and we stop.  Tools only: the kernels, their headers
# and sources, and the guest's busybox are fetched into the cache by
# kernel.sh, source.sh and busybox.sh, never installed on the host.
#   Usage: deps.sh [demo|vm|bench|check]   (check, the most, by default)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

what=${1:-check}

# What every command needs: git (the scripts copy the files it tracks),
# the compiler and what Debian's kbuild packages run on (libelf, libssl,
# pahole for 6.12's module BTF), xz for the source tarball whose kselftest
# harness the probes use, cpio for the guest, liburing for the io_uring
# probes (probes/*_iopaths, linked statically with liburing.a).
pkgs=(
	build-essential git cpio xz-utils libelf1 libssl3 pahole
	qemu-system-x86 liburing-dev
)
# On an x86-64 host the probes are also built as 32-bit programs (gcc
# -m32, static: probes/Makefile's NAME-m32) that call the drivers through
# their compat ioctls: gcc-12-multilib brings gcc's 32-bit support and
# the i386 C library (libc6-dev-i386).  Not the gcc-multilib metapackage:
# Debian 12's conflicts with gcc-aarch64-linux-gnu (both would own
# /usr/include/asm), which apt then removes; the Makefile points -m32 at
# the kernel's x86 headers itself.
[[ $(uname -m) != x86_64 ]] || pkgs+=(gcc-12-multilib)

case $what in
demo) pkgs+=(gnuplot-nox) ;;
vm) ;;
bench) pkgs+=(gnuplot-nox python3) ;;
# The test kernels are built from source, test-6.12-arm64 with the cross
# compiler (and its probes against the cross C library) and booted on
# QEMU's arm64 machine; the host's checks run the log parser,
# checkpatch, sparse, Coccinelle (the kernel's coccicheck; two of its
# scripts have OCaml rules, which spatch compiles with the ocaml
# package's ocamlopt; its Python rules need libpython3.11.so, the
# unversioned name libpython3-dev brings: without it, on a fresh machine,
# spatch stopped at the first script), kernel-doc (perl), shellcheck and
# DKMS.
check)
	pkgs+=(bc bison flex libelf-dev libssl-dev kmod zstd rsync python3 perl sparse
		coccinelle ocaml libpython3-dev shellcheck dkms
		gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)
	;;
*) die "usage: deps.sh demo|vm|bench|check" ;;
esac
# KERNEL=test-6.12-arm64 (make vm, demo, bench): its modules, probes and
# QEMU are arm64's.
[[ ${KERNEL:-} != *-arm64 ]] || pkgs+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm)

installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done
((${#missing[@]})) || exit 0

if ((EUID != 0)); then
	printf 'error: make %s needs these Debian packages; install them with\n' "$what" >&2
	printf '    sudo apt-get install --no-install-recommends %s\n' "${missing[*]}" >&2
	exit 1
fi

step "installing ${#missing[@]} packages: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${missing[@]}" | grep -E '^(Setting up|Unpacking) ' | sed 's/^/    /' >&2 || true
for p in "${missing[@]}"; do
	installed "$p" || die "could not install $p"
done
