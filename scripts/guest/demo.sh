# SPDX-License-Identifier: GPL-2.0
# The tour inside the VM: each driver doing what it is for, with a line
# before each step saying what it shows.
# shellcheck shell=sh
# shellcheck source=lib.sh
. /kmm/guest/lib.sh

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*"; }
# traced EVENTS COMMAND: COMMAND under `trace-cmd record -e EVENTS`, then
# the events as `trace-cmd report` prints them; the demo fails if none
# was recorded.
status=0
traced() {
	run "trace-cmd record -q -o /tmp/trace.dat -e $1 $2 >/dev/null"
	run "trace-cmd report -i /tmp/trace.dat 2>/dev/null | grep -E ' ${1%%:*}_' | tee /tmp/trace.txt"
	[ -s /tmp/trace.txt ] || { echo "no ${1} event was recorded"; status=1; }
}

say "scullp: LDD3's page-based scull device"
run "insmod $KMM/modules/scullp.ko"
run "ls -l /dev/scullp*"
run "cat /proc/scullpmem"
say "write 1 MiB of random data with dd, then read it back with cat"
run "dd if=/dev/urandom of=/tmp/data bs=64k count=16 2>/dev/null"
run "dd if=/tmp/data of=/dev/scullp0 bs=64k"
run "cat /dev/scullp0 | md5sum; md5sum </tmp/data"
say "/proc/scullpmem now: scullp0 holds $((1048576 / page_size)) one-page quanta"
run "cat /proc/scullpmem"
say "the same bytes read through mmap(), not read(2)"
run "mapcat /dev/scullp0 1048576 | md5sum"
run "mapcat /dev/scullp0 32 4096 | hexdump -C; dd if=/dev/scullp0 bs=32 skip=128 count=1 2>/dev/null | hexdump -C"
say "a write-only open empties the device, as in LDD3"
run "echo hello > /dev/scullp0; cat /dev/scullp0; cat /proc/scullpmem"
say "reload with order 2: $((page_size << 2 >> 10)) KiB quanta from the buddy allocator"
run "rmmod scullp && insmod $KMM/modules/scullp.ko scullp_order=2"
run "dd if=/tmp/data of=/dev/scullp1 bs=1M 2>/dev/null; cat /proc/scullpmem"
run "mapcat /dev/scullp1 1048576 | md5sum"
run "rmmod scullp"

say "mmap_demo: one buffer of 256 pages, three ways to map it"
run "insmod $KMM/modules/mmap_demo.ko"
run "ls -l /dev/mmap_demo_*"
say "page 3 seen through write(2), the remap, fault and insert mappings, and read(2)"
run "$KMM/probes/mapview 3 'written with write(2)'"
say "the same bytes with dd, and the counters: mmaps, live mappings, faults"
run "dd if=/dev/mmap_demo_insert bs=$page_size skip=3 count=1 2>/dev/null | hexdump -C | head -2"
run "cat /sys/kernel/debug/mmap_demo/stats"
say "only the fault node takes faults (one per fault_window pages) for a full read through it"
run "mapcat /dev/mmap_demo_fault $((256 * page_size)) | md5sum; mapcat /dev/mmap_demo_insert $((256 * page_size)) | md5sum"
run "cat /sys/kernel/debug/mmap_demo/stats"
say "faults traced: reading 64 pages through the fault node takes one fault per window (64 pages, aligned in the address space), not one per page"
traced mmap_demo:mmap_demo_fault "sh -c 'mapcat /dev/mmap_demo_fault $((64 * page_size)) | wc -c'"
run "rmmod mmap_demo"

say "vmalloc_demo: a 4 MiB buffer, virtually contiguous, physically scattered"
run "insmod $KMM/modules/vmalloc_demo.ko"
run "ls -l /dev/vmalloc_demo; dmesg | grep vmalloc_demo: | tail -1"
say "write 4 MiB of random data with dd, read it back with cat"
run "dd if=/dev/urandom of=/tmp/vdata bs=64k count=64 2>/dev/null"
run "dd if=/tmp/vdata of=/dev/vmalloc_demo bs=64k 2>/dev/null; md5sum </tmp/vdata; cat /dev/vmalloc_demo | md5sum"
say "the buffer has a fixed size: one byte past its end does not fit"
run "echo x | dd of=/dev/vmalloc_demo bs=1 seek=4194304 2>&1 | head -1"
say "the info ioctl: size, pages, and the runs of physically contiguous pages"
run "$KMM/probes/vminfo"
say "/proc/vmallocinfo: the whole buffer is one virtual range (and a guard page)"
run "grep -F '[vmalloc_demo]' /proc/vmallocinfo"
say "the same bytes through mmap(), which the driver fills page by page with vm_insert_page()"
run "mapcat /dev/vmalloc_demo 4194304 | md5sum"
say "debugfs vmalloc_demo/pages: each page's index and physical frame number (first 8)"
run "head -8 /sys/kernel/debug/vmalloc_demo/pages"
echo "KMM-PLOT-BEGIN vmalloc_pages"
cat /sys/kernel/debug/vmalloc_demo/pages
echo "KMM-PLOT-END vmalloc_pages"
say "(the whole table is drawn on the host: demo-output/vmalloc_pages.png)"
say "backend=vmap: the pages one by one from the page allocator, then one vmap()"
run "rmmod vmalloc_demo && insmod $KMM/modules/vmalloc_demo.ko backend=vmap"
run "$KMM/probes/vminfo; grep -F '[vmalloc_demo]' /proc/vmallocinfo"
say "resize to 16 MiB: the first 4 MiB keep their data, the rest reads as zeros"
run "dd if=/tmp/vdata of=/dev/vmalloc_demo bs=64k 2>/dev/null; $KMM/probes/vminfo -r 16777216"
run "head -c 4194304 /dev/vmalloc_demo | md5sum; tail -c 12582912 /dev/vmalloc_demo | md5sum; head -c 12582912 /dev/zero | md5sum"
run "rmmod vmalloc_demo"

say "dma_demo: DMA with QEMU's edu PCI device (1234:11e8)"
run "insmod $KMM/modules/dma_demo.ko"
run "ls -l /dev/dma_demo0; dmesg | grep 'dma_demo 0' | tail -2; grep dma_demo /proc/interrupts"
say "write 4095 random bytes: the driver DMAs them into the device's 4 KiB buffer"
say "(QEMU 7.2's edu aborts on a DMA that reaches its last byte: the file ends one short)"
run "head -c 4095 /dev/urandom >/tmp/ddata; grep . /sys/class/misc/dma_demo0/interrupts"
run "dd if=/tmp/ddata of=/dev/dma_demo0 bs=4095"
say "read them back by DMA from the device, and compare"
run "dd if=/dev/dma_demo0 of=/tmp/dback bs=4095 && cmp /tmp/ddata /tmp/dback && echo same bytes"
say "each transfer raised one interrupt (MSI): the driver's counters in sysfs"
run "cd /sys/class/misc/dma_demo0 && grep . transfers bytes interrupts timeouts bounced stuck"
run "grep dma_demo /proc/interrupts"
say "one transfer traced: it starts, the device interrupts, the sleeping writer wakes and completes"
traced dma_demo "dd if=/tmp/ddata of=/dev/dma_demo0 bs=4095 2>/dev/null"
say "the device's registers (BAR0) mapped uncached into a root process: its identification, and a factorial it computes"
run "$KMM/probes/edu_regs /dev/dma_demo0 10"
say "the identification as the driver read it at probe (ioread32()), and where BAR0 lies"
run "dmesg | grep 'edu version' | tail -1; grep dma_demo /proc/iomem"
run "rmmod dma_demo" || status=1
exit $status
