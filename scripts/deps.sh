#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what the project needs on a Debian 12 machine.  As root, missing
# packages are installed; otherwise the missing ones are named and we stop.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pkgs=(
	build-essential bc bison flex libelf-dev libssl-dev kmod cpio
	xz-utils zstd rsync python3 perl
	qemu-system-x86 busybox-static
	sparse gnuplot-nox dkms
	linux-source-6.1 linux-source-6.12
)
# liburing for the io_uring probes (probes/*_iopaths), linked statically (liburing.a).
pkgs+=(liburing-dev)

# Debian's headers for the current 6.1 and 6.12 kernels: the meta packages
# name the versioned ones, so we never hard-code an ABI number.
pkgs+=(linux-headers-amd64 linux-headers-6.12-amd64)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

# A meta package that is installed may still point at an old ABI after an
# index update; `apt-get install` of the meta package moves it on.
if ((${#missing[@]} == 0)); then
	exit 0
fi

if ((EUID != 0)); then
	die "missing packages: ${missing[*]} (run: sudo apt-get install ${missing[*]})"
fi

step "installing ${#missing[@]} packages: ${missing[*]}"
stamp=/var/lib/apt/periodic/kmm-drivers-update
if [[ ! -e $stamp ]] || find "$stamp" -mmin +360 | grep -q .; then
	apt-get update -qq
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	"${missing[@]}" | grep -E '^(Setting up|Unpacking) ' | sed 's/^/    /' >&2 || true
for p in "${missing[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		die "could not install $p"
done
