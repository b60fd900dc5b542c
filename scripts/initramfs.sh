#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Pack the guest: busybox, the init script, the modules built in OBJ and
# the static probes, as a gzip'd cpio archive.
#   Usage: initramfs.sh OBJ OUTPUT
set -euo pipefail
. "$(dirname "$0")/lib.sh"

obj=${1:?usage: initramfs.sh OBJ OUTPUT}
out=${2:?usage: initramfs.sh OBJ OUTPUT [KMODS]}
kmods=${3:-}
busybox=$("$KMM_TOP/scripts/busybox.sh")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,kmm/modules,kmm/probes,kmm/guest}
cp "$busybox" "$root/bin/busybox"
install -m 755 "$KMM_TOP/scripts/guest/init" "$root/init"
cp "$KMM_TOP"/scripts/guest/*.sh "$root/kmm/guest/"
find "$obj" -name '*.ko' -exec cp {} "$root/kmm/modules/" \;
if [[ -n $kmods ]]; then
	mkdir -p "$root/kmm/kmods"
	cp "$kmods"/*.ko "$root/kmm/kmods/"
fi
for p in "$KMM_TOP"/probes/*; do
	case $p in
	*.c | *.h | */Makefile) ;;
	*/mapcat | */stopwatch) cp "$p" "$root/bin/" ;;
	*/tap.sh) cp "$p" "$root/kmm/probes/" ;;
	*) [[ -x $p ]] && cp "$p" "$root/kmm/probes/" ;;
	esac
done
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
