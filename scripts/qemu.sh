#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a kernel and initramfs under QEMU (TCG, serial console, 1 GiB (arm64:
# 4), the edu PCI device).  x86: the q35 machine, whose ACPI tables give the
# PCI interrupt routing (_PRT) as a ready-made table; the older pc (i440FX)
# machine builds its table in an AML loop, which a debug kernel's ACPI
# interpreter ran for 20 s under emulation when the first device needing a
# legacy interrupt (virtio-9p) was enabled, and past ACPICA's 30 s loop
# timeout ("AE_AML_LOOP_TIMEOUT") on a busy host.  MODE is check, demo or vm; vm is interactive.  ARCH
# (kernel.sh's, from the environment; x86_64 by default) picks the machine.
# QEMU_IOMMU=intel: an Intel IOMMU (VT-d) in front of the
# devices, so that DMA addresses are IOVAs; the kernel turns it on with
# intel_iommu=on.
# QEMU_TCG_THREAD=multi: each vCPU on a host thread of its own (arm64's
# way always); x86 runs its two vCPUs in one thread unless asked.
# QEMU_SHARE=DIR: DIR shared read-only over 9p (virtio-9p-pci, mount tag
# kmm), which the guest mounts at /kmm/checkout.
# Mode check: QEMU_CONSOLE=FILE takes the console; standard output is the
# test plan's results channel.
#   Usage: [ARCH=arm64] [QEMU_TCG_THREAD=multi] [QEMU_IOMMU=intel] [QEMU_SHARE=DIR] [QEMU_CONSOLE=FILE] qemu.sh BZIMAGE INITRD MODE [kernel arguments...]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

bzimage=${1:?usage: qemu.sh BZIMAGE INITRD MODE [args]}
initrd=${2:?}
mode=${3:?}
shift 3
# x86 patches its own text with int3 (text_poke_bp) while the other CPUs
# run on; under multi-threaded TCG a vCPU can run a block translated
# before the int3 went (an "Oops: int3" in a static key's site), or wait
# for ever on its text_poke IPI.  Tracepoints switched while both vCPUs
# were busy oopsed in 11 of 12 tries; with one thread for both, in none
# of 10 (docs/testing.md, "One thread for both vCPUs").
accel=tcg
case ${ARCH:-x86_64} in
x86_64)
	qemu=qemu-system-x86_64 package=qemu-system-x86 console=ttyS0 mem=1G
	board=(-M q35 -nic none)
	case ${QEMU_TCG_THREAD:-single} in
	single) accel=tcg,thread=single ;;
	multi) ;;
	*) die "QEMU_TCG_THREAD=$QEMU_TCG_THREAD: single or multi" ;;
	esac
	;;
# arm64: QEMU's virt machine with GICv3 (its ITS gives edu its MSI) and
# an SMMUv3 in front of the PCIe bus: virt's RAM starts at 1 GiB, out of
# reach of edu's 28-bit DMA mask unless DMA addresses are IOVAs.  A
# Cortex-A57 reached user space in 15 to 19 s (test-6.12-arm64, 2 busy
# cores), "max,pauth-impdef=on" in 20 to 35 s: fewer features to emulate.
# 4 GiB: with 64 KiB pages a PMD spans 512 MiB, and the debug kernel's
# page-table self-test (DEBUG_VM_PGTABLE, at boot) takes one such block for
# its transparent-huge-page cases; 1 and 2 GiB had none free by then, and
# the failed allocation's warning failed the log gate.
arm64)
	qemu=qemu-system-aarch64 package=qemu-system-arm console=ttyAMA0 mem=4G
	board=(-M "virt,gic-version=3,iommu=smmuv3" -cpu cortex-a57)
	[[ -z ${QEMU_IOMMU:-} ]] || die "QEMU_IOMMU=$QEMU_IOMMU: arm64's machine has its SMMUv3 already"
	;;
*) die "qemu.sh: no machine for ARCH=$ARCH (x86_64 or arm64)" ;;
esac
command -v "$qemu" >/dev/null ||
	die "$qemu not found (run: sudo apt-get install $package)"

# The IOMMU comes before the devices it translates for.  Without a split
# irqchip (KVM only) it cannot remap interrupts: intremap stays off.
machine=()
case ${QEMU_IOMMU:-} in
"") ;;
intel) machine=(-device "intel-iommu,intremap=off") ;;
*) die "QEMU_IOMMU=$QEMU_IOMMU: only 'intel' is known" ;;
esac

# Emulated CPUs run only when the host schedules QEMU's threads: on a busy
# 2-core host a vCPU can stand still for longer than RCU's default 21 s
# stall timeout, and the "stall" report would fail the log gate.  A real
# stall still shows, after 90 s; so does a soft lockup, after 120 s
# (watchdog_thresh=60, twice the threshold) instead of 20.  (No
# no_timer_check: without the boot-time check of the timer's IO-APIC
# route, a guest once never got a timer tick and hung in early boot.)
# Mode check: which channel the guest's init writes its results to.
channel_arg=""
if [[ $mode == check ]]; then
	case ${ARCH:-x86_64} in
	x86_64) channel_arg=" kmm.channel=ttyS1" ;;
	arm64) channel_arg=" kmm.channel=virtio" ;;
	esac
fi
share=() share_arg=""
if [[ -n ${QEMU_SHARE:-} ]]; then
	share_arg=" kmm.share"
	[[ -d $QEMU_SHARE ]] || die "QEMU_SHARE=$QEMU_SHARE: no such directory"
	# shellcheck disable=SC2054 # QEMU's options are comma lists
	share=(-fsdev "local,id=kmm,path=$QEMU_SHARE,security_model=none,readonly=on"
		-device virtio-9p-pci,fsdev=kmm,mount_tag=kmm)
fi
args=(
	"${board[@]}" -accel "$accel" -m "$mem" -smp 2 -no-reboot
	-kernel "$bzimage" -initrd "$initrd"
	-append "console=$console panic=-1 loglevel=4 log_buf_len=8M rcupdate.rcu_cpu_stall_timeout=90 watchdog_thresh=60 kmm.mode=$mode $*$channel_arg$share_arg"
	"${machine[@]}"
	-device edu "${share[@]}"
)
if [[ $mode == vm ]]; then
	exec "$qemu" "${args[@]}" -nographic
fi
# check: the test plan's results reach the host on a channel of their own,
# QEMU's standard output, and the kernel's console goes to the file
# QEMU_CONSOLE, so that no kernel line can land inside a result.  The
# channel is the second serial port (ttyS1) on x86, a virtio-serial port
# named kmm.results on arm64 (virt has one UART), written to standard
# output as a file: a stdio chardev with stdin at EOF counts as
# disconnected, and the guest's writes to the port then go nowhere.
if [[ $mode == check ]]; then
	[[ -n ${QEMU_CONSOLE:-} ]] || die "qemu.sh: mode check needs QEMU_CONSOLE, the console's file"
	case ${ARCH:-x86_64} in
	x86_64) channel=(-serial "file:$QEMU_CONSOLE" -serial stdio) ;;
	arm64)
		# shellcheck disable=SC2054 # QEMU's options are comma lists
		channel=(-serial "file:$QEMU_CONSOLE" -device virtio-serial-pci
			-chardev file,id=kmm,path=/dev/stdout
			-device virtserialport,chardev=kmm,name=kmm.results)
		;;
	esac
	exec "$qemu" "${args[@]}" -display none "${channel[@]}" -monitor none </dev/null
fi
exec "$qemu" "${args[@]}" -display none -serial stdio -monitor none </dev/null
