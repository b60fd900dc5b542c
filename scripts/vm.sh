#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make vm`: the demo's VM with every module loaded and an interactive
# shell on the serial console, the checkout mounted read-only at
# /kmm/checkout (9p): `make KERNEL=NAME` on the host, then rmmod and
# insmod /kmm/checkout/DRIVER/DRIVER.ko in the guest.  Ctrl-A X quits QEMU.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

name=${KERNEL:-debian-6.12}
"$KMM_TOP/scripts/deps.sh" vm
eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
# The guest's architecture, for initramfs.sh and qemu.sh.
export ARCH
build_probes
obj=$("$KMM_TOP/scripts/build.sh" "$name")
initrd=$KMM_CACHE/vm-$name.cpio.gz
"$KMM_TOP/scripts/initramfs.sh" "$obj" "$initrd" "${KMODS:-}"
step "booting $name; Ctrl-A X leaves the VM"
QEMU_SHARE=$KMM_TOP exec "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$initrd" vm
