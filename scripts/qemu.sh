#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel and initramfs under QEMU (TCG, serial console, 1 GiB, the
# edu PCI device).  MODE is check, demo or vm; vm is interactive.
# QEMU_IOMMU=intel: QEMU's q35 with an Intel IOMMU (VT-d) in front of the
# devices, so that DMA addresses are IOVAs; the kernel turns it on with
# intel_iommu=on.
#   Usage: [QEMU_IOMMU=intel] qemu.sh BZIMAGE INITRD MODE [kernel arguments...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bzimage=${1:?usage: qemu.sh BZIMAGE INITRD MODE [args]}
initrd=${2:?}
mode=${3:?}
shift 3
command -v qemu-system-x86_64 >/dev/null ||
	die "qemu-system-x86_64 not found (run: sudo apt-get install qemu-system-x86)"

# The IOMMU comes before the devices it translates for.  Without a split
# irqchip (KVM only) it cannot remap interrupts: intremap stays off.
machine=()
case ${QEMU_IOMMU:-} in
"") ;;
intel) machine=(-M q35 -device "intel-iommu,intremap=off") ;;
*) die "QEMU_IOMMU=$QEMU_IOMMU: only 'intel' is known" ;;
esac

# Emulated CPUs run only when the host schedules QEMU's threads: on a busy
# 2-core host a vCPU can stand still for longer than RCU's default 21 s
# stall timeout, and the "stall" report would fail the log gate.  A real
# stall still shows, after 90 s; so does a soft lockup, after 120 s
# (watchdog_thresh=60, twice the threshold) instead of 20.  (No
# no_timer_check: without the boot-time check of the timer's IO-APIC
# route, a guest once never got a timer tick and hung in early boot.)
args=(
	-accel tcg -m 1G -smp 2 -no-reboot
	-kernel "$bzimage" -initrd "$initrd"
	-append "console=ttyS0 panic=-1 loglevel=4 log_buf_len=8M rcupdate.rcu_cpu_stall_timeout=90 watchdog_thresh=60 kmm.mode=$mode $*"
	"${machine[@]}"
	-device edu
)
if [[ $mode == vm ]]; then
	exec qemu-system-x86_64 "${args[@]}" -nographic
fi
exec qemu-system-x86_64 "${args[@]}" -display none -serial stdio -monitor none </dev/null
