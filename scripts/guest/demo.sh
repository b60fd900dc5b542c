# SPDX-License-Identifier: GPL-2.0
# The tour inside the VM: each driver doing what it is for, with a line
# before each step saying what it shows.
# shellcheck shell=sh
. /kmm/guest/lib.sh

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*"; }

say "scullp: LDD3's page-based scull device"
run "insmod $KMM/modules/scullp.ko"
run "ls -l /dev/scullp*"
run "cat /proc/scullpmem"
say "write 1 MiB of random data with dd, then read it back with cat"
run "dd if=/dev/urandom of=/tmp/data bs=64k count=16 2>/dev/null"
run "dd if=/tmp/data of=/dev/scullp0 bs=64k"
run "cat /dev/scullp0 | md5sum; md5sum </tmp/data"
say "/proc/scullpmem now: scullp0 holds 256 one-page quanta"
run "cat /proc/scullpmem"
say "the same bytes read through mmap(), not read(2)"
run "mapcat /dev/scullp0 1048576 | md5sum"
run "mapcat /dev/scullp0 32 4096 | hexdump -C; dd if=/dev/scullp0 bs=32 skip=128 count=1 2>/dev/null | hexdump -C"
say "a write-only open empties the device, as in LDD3"
run "echo hello > /dev/scullp0; cat /dev/scullp0; cat /proc/scullpmem"
say "reload with order 2: 16 KiB quanta from the buddy allocator"
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
run "dd if=/dev/mmap_demo_insert bs=4096 skip=3 count=1 2>/dev/null | hexdump -C | head -2"
run "cat /sys/kernel/debug/mmap_demo/stats"
say "only the fault node takes faults: 256 of them for a full read through it"
run "mapcat /dev/mmap_demo_fault 1048576 | md5sum; mapcat /dev/mmap_demo_insert 1048576 | md5sum"
run "cat /sys/kernel/debug/mmap_demo/stats"
run "rmmod mmap_demo"
