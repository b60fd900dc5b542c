# SPDX-License-Identifier: GPL-2.0
# Interactive VM: load every driver, then say what there is to try.
# shellcheck shell=sh
# shellcheck source=lib.sh
. /kmm/guest/lib.sh
for ko in "$KMM"/modules/*.ko; do
	mod=$(basename "$ko" .ko)
	case $mod in *_kunit) continue ;; esac
	load "$mod" && echo "loaded $mod"
done
if mount_checkout; then
	echo "the checkout is mounted read-only at $checkout"
else
	echo "the checkout could not be mounted at $checkout (9p)"
fi
cat <<'EOT'

The modules are loaded.  Things to try:
  echo hello > /dev/scullp0; cat /dev/scullp0; cat /proc/scullpmem
  dd if=/dev/urandom of=/dev/scullp0 bs=64k count=16
  mapcat /dev/scullp0 16 | hexdump -C      (read through mmap)
  /kmm/probes/mapview 3 hi; cat /sys/kernel/debug/mmap_demo/stats   (mmap_demo)
  /kmm/probes/vminfo; head /sys/kernel/debug/vmalloc_demo/pages   (vmalloc_demo)
  echo hi > /dev/dma_demo0; head -c 3 /dev/dma_demo0; cat /sys/class/misc/dma_demo0/interrupts   (dma_demo)
  dmesg | tail; lsmod; rmmod scullp
Probes are in /kmm/probes, modules in /kmm/modules.  The checkout is at
/kmm/checkout: after an edit, `make KERNEL=<this kernel>` on the host,
then here:
  rmmod scullp; insmod /kmm/checkout/scullp/scullp.ko
The drivers' tracepoints (docs/tracing.md), on x86 with trace-cmd:
  trace-cmd record -e dma_demo dd if=/dev/dma_demo0 of=/dev/null bs=1000 count=1; trace-cmd report
'poweroff -f' or Ctrl-A X leaves the VM.
EOT
