# SPDX-License-Identifier: GPL-2.0
# The benchmarks inside the VM.  Every figure is a time in nanoseconds
# (stopwatch around a dd, or a timing tool), with the bytes the dd or the
# tool says it moved where it moves bytes; the host turns them into
# medians and ratios against the baselines measured here, in the same
# boot, and throughput from the bytes moved, not the bytes asked
# ("bytes=", where a line has it).  One line each:
#   BENCH <group> <key=value>... <measure>=<ns> [<measure>_bytes=<bytes>]
# shellcheck shell=sh
# shellcheck source=lib.sh
. /kmm/guest/lib.sh

reps=5
groups=$(sed -n 's/.*kmm\.bench=\([a-z_,]*\).*/\1/p' /proc/cmdline | tr , ' ')
[ -n "$groups" ] || groups="scullp"

# t NAME [-j N] dd ARGS...: "NAME=<ns> NAME_bytes=<bytes>", the time the
# dd took (N of them at once, with -j) and the bytes it says it moved
# (stopwatch); with nothing after the "="s if it failed.
t() {
	name=$1
	shift
	t_out=$(stopwatch "$@") || t_out=
	printf '%s=%s %s_bytes=%s' "$name" "${t_out% *}" "$name" "${t_out#* }"
}

# fastest N NAME dd ARGS...: as t, the run of N that moved the most bytes
# a nanosecond; with nothing after the "="s if a run failed.  On a busy
# host a vCPU can stand still for a while in the middle of any one run.
fastest() {
	n=$1 name=$2 best='' best_bytes=''
	shift 2
	while [ "$n" -gt 0 ]; do
		f_out=$(stopwatch "$@") || { best='' best_bytes='' && break; }
		f_ns=${f_out% *} f_bytes=${f_out#* }
		# f_bytes / f_ns > best_bytes / best, without division
		if [ -z "$best" ] || [ $((f_bytes * best)) -gt $((best_bytes * f_ns)) ]; then
			best=$f_ns best_bytes=$f_bytes
		fi
		n=$((n - 1))
	done
	printf '%s=%s %s_bytes=%s' "$name" "$best" "$name" "$best_bytes"
}

bench_scullp() {
	mib=16
	for order in 0 2 4; do
		echo "KMM-STEP scullp: dd at order $order"
		load scullp scullp_order=$order || return 1
		for bs in 512 4096 65536 1048576; do
			count=$((mib * 1048576 / bs))
			r=0
			while [ $r -lt $reps ]; do
				echo "BENCH scullp order=$order bs=$bs bytes=$((mib << 20))" \
					"$(t scullp_write dd if=/dev/zero of=/dev/scullp0 bs=$bs count=$count)" \
					"$(t scullp_read dd if=/dev/scullp0 of=/dev/null bs=$bs)" \
					"$(t tmpfs_write dd if=/dev/zero of=/tmp/bench bs=$bs count=$count)" \
					"$(t tmpfs_read dd if=/tmp/bench of=/dev/null bs=$bs)" \
					"$(t zero_null dd if=/dev/zero of=/dev/null bs=$bs count=$count)"
				r=$((r + 1))
			done
		done
		rm -f /tmp/bench
		unload scullp
	done

	# Reading the last 16 MiB must cost the same however large the
	# device: finding a quantum must not walk from the start, as LDD3's
	# scullp_follow() did, its cost growing with the offset.  Four quanta
	# per qset make such a walk long: 16383 qsets at 256 MiB (131 at the
	# default qset of 500).  Each repetition empties the device and grows
	# it again from 16 to 256 MiB, so that every size is compared with the
	# 16 MiB device of its own repetition; each time is the fastest of
	# five reads.  A read takes about 0.1 s: more repetitions than the
	# others, as one vCPU stall moves a ratio a long way.
	echo "KMM-STEP scullp: read cost as the device grows (qset 4)"
	load scullp scullp_qset=4 || return 1
	r=0
	while [ $r -lt 7 ]; do
		: >/dev/scullp1 # a write-only open empties it
		have=0
		for size in 16 32 64 128 256; do
			# Append through a read-write open, which keeps the data.
			dd if=/dev/zero bs=1M seek=$have count=$((size - have)) \
				conv=notrunc 2>/dev/null 1<>/dev/scullp1 || return 1
			have=$size
			echo "BENCH scullp_growth rep=$r size_mib=$size bytes=$((16 << 20))" \
				"$(fastest 5 scullp_read dd if=/dev/scullp1 of=/dev/null \
					bs=65536 skip=$(((size - 16) * 16)) count=256)"
		done
		r=$((r + 1))
	done
	: >/dev/scullp1
	unload scullp
}

# vmd_dd NAME DEVICE: one line per block size, dd writing then reading
# the first $bytes of DEVICE; rep=$r pairs it with the other devices'
# lines of the same repetition.
vmd_dd() {
	for bs in 512 4096 65536 1048576; do
		count=$((bytes / bs))
		echo "BENCH vmalloc_dd dev=$1 rep=$r bs=$bs bytes=$bytes" \
			"$(t write dd if=/dev/zero of="$2" bs=$bs count=$count)" \
			"$(t read dd if="$2" of=/dev/null bs=$bs count=$count)"
	done
}

# bench_probe ARGS...: the kmm_bench probe (its files answer as they
# should) with the harness's ARGS; a failure fails the group.
bench_probe() {
	run_probe "$KMM/probes/kmm_bench_probe" "$@"
	[ "$probe_rc" = 0 ] || { echo "BENCH-FAILED kmm_bench_probe $*"; return 1; }
}

bench_vmalloc() {
	# 4 MiB: the most one kmalloc() gives (KMALLOC_MAX_SIZE on x86-64),
	# so every device holds the same bytes.
	bytes=$((4 << 20))
	# Each dd is short (a 4 MiB copy): more repetitions than the others.
	vm_reps=7
	load kmm_bench || return 1
	bench_probe -F dma_map || { unload kmm_bench; return 1; }
	unload kmm_bench || return 1
	echo "KMM-STEP vmalloc: dd on vmalloc_demo's two backends, a kmalloc'd buffer and scullp"
	load scullp || return 1
	r=0
	while [ $r -lt $vm_reps ]; do
		for backend in vmalloc vmap; do
			load vmalloc_demo backend=$backend size=$bytes || return 1
			vmd_dd $backend /dev/vmalloc_demo
			unload vmalloc_demo || return 1
		done
		# The baseline, a kmalloc()'d buffer of the same size (kmm_bench).
		load kmm_bench kmalloc_size=$bytes || return 1
		vmd_dd kmalloc /dev/kmm_bench_kmalloc
		unload kmm_bench || return 1
		vmd_dd scullp /dev/scullp0
		r=$((r + 1))
	done
	: >/dev/scullp0
	unload scullp || return 1

	# In the kernel: vmalloc()+vfree() against alloc_page()+vmap()+
	# vunmap()+__free_page(), and vmap()+vunmap() alone, for 1 to 1024
	# pages; each run churns the same number of pages.
	echo "KMM-STEP vmalloc: vmalloc and vmap costs per page, 1 to 1024 pages"
	load kmm_bench || return 1
	bench=/sys/kernel/debug/kmm_bench/vmalloc
	r=0
	while [ $r -lt $vm_reps ]; do
		for pages in 1 2 4 8 16 32 64 128 256 512 1024; do
			echo "$pages $((16384 / pages))" >$bench || return 1
			echo "BENCH vmalloc_alloc rep=$r $(cat $bench)"
		done
		r=$((r + 1))
	done
	unload kmm_bench
}

# scullp_sources: fill /dev/scullp0 at order 0 and /dev/scullp1 at the
# PMD order (quanta of a PMD's span, which scullp maps with one PMD entry
# a fault on 6.12), $sc_mib MiB each with dd (a write-only open trims the
# device, which takes the global order), and list in sc_srcs the sources
# maptime gets for mappings of up to sc_pages pages: order 0 with one
# page per fault and with the default window, and the PMD order with the
# default window; each sets the window itself, as maptime's sources take
# turns within a loop.  A BENCH-NOTE says why the PMD order is left out.
sc_mib=64
sc_window=/sys/module/scullp/parameters/scullp_fault_window
thp=/sys/kernel/mm/transparent_hugepage
scullp_sources() {
	sc_pages=$((sc_mib * 1048576 / page_size))
	load scullp || return 1
	sw=$(cat $sc_window)
	dd if=/dev/zero of=/dev/scullp0 bs=1M count=$sc_mib 2>/dev/null || return 1
	sc_srcs="/dev/scullp0@$sc_window=1 /dev/scullp0@$sc_window=$sw"

	pmd=$(cat $thp/hpage_pmd_size 2>/dev/null) || pmd=0
	pmd_order=0
	while [ $((page_size << pmd_order)) -lt "$pmd" ]; do
		pmd_order=$((pmd_order + 1))
	done
	# /proc/buddyinfo: "Node 0, zone DMA" and a column per order.
	max_order=$(awk '{ print NF - 5; exit }' /proc/buddyinfo)
	why=
	if [ "$pmd" = 0 ]; then
		why="no transparent huge pages in this kernel"
	elif grep -q '\[never\]' $thp/enabled; then
		why="transparent huge pages are off ($thp/enabled: never)"
	elif [ $pmd_order -gt "$max_order" ]; then
		why="the PMD order, $pmd_order, is more than the page allocator gives ($max_order)"
	elif [ "$pmd" -gt $((sc_mib << 20)) ]; then
		why="a PMD spans $((pmd >> 20)) MiB, more than the $sc_mib MiB device"
	elif [ "$(uname -r | awk -F. '{ print $1 * 100 + $2 }')" -lt 612 ]; then
		why="$(uname -r) has no huge pfn mappings: scullp maps page by page"
	fi
	if [ -n "$why" ]; then
		echo "BENCH-NOTE mmap: no scullp source at the PMD order: $why"
		return 0
	fi
	"$KMM/probes/scullpctl" order $pmd_order || return 1
	dd if=/dev/zero of=/dev/scullp1 bs=1M count=$sc_mib 2>/dev/null || return 1
	"$KMM/probes/scullpctl" reset || return 1
	grep -q "^scullp1 $((sc_mib << 20)) $pmd_order " /proc/scullpmem || {
		echo "BENCH-FAILED mmap: /dev/scullp1 is not $sc_mib MiB at order $pmd_order"
		return 1
	}
	sc_srcs="$sc_srcs /dev/scullp1@$sc_window=$sw"
}

# Map and touch N pages through the three nodes of mmap_demo, the fault
# node both with a window of one page per fault (LDD3's) and with the
# default window, through scullp (scullp_sources) up to 64 MiB, and, as
# the baselines, anonymous memory touched the same way without and with
# transparent huge pages; maptime takes them in turn within each loop and
# prints the median loop of each, with its minor faults.  20480 pages per
# source and line (at least 3 loops), the same work at every size.  Of
# the guest's 1 GiB, mmap_demo holds 256 MiB and scullp 128 MiB
# throughout, and the largest anonymous mapping takes 256 MiB more.
bench_mmap() {
	start=$(cut -d. -f1 /proc/uptime)
	echo "KMM-STEP mmap: fill scullp0 at order 0 and scullp1 at the PMD order, $sc_mib MiB each"
	scullp_sources || { unload scullp; return 1; }
	echo "KMM-STEP mmap: map and touch 16 to 65536 pages, 3 nodes, scullp and anonymous"
	load mmap_demo npages=65536 || { unload scullp; return 1; }
	d=/dev/mmap_demo_
	window=/sys/module/mmap_demo/parameters/fault_window
	w=$(cat $window)
	r=0
	while [ $r -lt $reps ]; do
		for pages in 16 64 256 1024 4096 16384 65536; do
			loops=$((20480 / pages))
			[ $loops -ge 3 ] || loops=3
			srcs=
			[ $pages -gt $sc_pages ] || srcs=$sc_srcs
			# shellcheck disable=SC2086 # one word per source
			"$KMM/probes/maptime" $pages $loops ${d}remap ${d}insert \
				"${d}fault@$window=1" "${d}fault@$window=$w" $srcs anon anon-thp \
				>/tmp/maptime || break 2
			sed "s|^src=$d|src=|; s|^src=/dev/scullp0@|src=scullp@|
			     s|^src=/dev/scullp1@\(.*\)|src=scullp-pmd@\1 order=$pmd_order|
			     s|^|BENCH mmap pages=$pages loops=$loops rep=$r |" /tmp/maptime
		done
		r=$((r + 1))
	done
	echo "$w" >$window
	echo "$sw" >$sc_window
	unload mmap_demo
	unload scullp
	[ $r = $reps ] || return 1
	echo "KMM-STEP mmap: done in $(($(cut -d. -f1 /proc/uptime) - start)) s"
}

# edu_bdf: the PCI address of the first edu device, if any.
edu_bdf() {
	for d in /sys/bus/pci/devices/*; do
		if [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ]; then
			basename "$d"
			return
		fi
	done
}

# DMA through /dev/dma_demo0 in each buffer strategy: a write and a read
# of BYTES, 5 loops per line, the strategies in turn within each loop,
# the median loop of each printed.  QEMU's edu finishes a DMA 100 ms
# after it starts, so few loops are all the time allows.  Then the cost
# of a streaming mapping against a copy, timed in the kernel by
# kmm_bench, bound to the same device through driver_override once
# dma_demo has let it go (debugfs kmm_bench/dma_map).
bench_dma() {
	start=$(cut -d. -f1 /proc/uptime)
	load dma_demo || return 1
	max=$(wc -c </dev/dma_demo0)	# 4095 unless full_buffer=1
	echo "KMM-STEP dma: write + read of 64 to $max bytes, 3 strategies"
	r=0
	while [ $r -lt $reps ]; do
		for bytes in 64 512 2048 $max; do
			# 3: every loop ran, and a transfer moved fewer bytes than
			# asked, which its line shows
			"$KMM/probes/dmatime" "$bytes" 5 coherent streaming direct >/tmp/dmatime
			tool_rc=$?
			[ $tool_rc = 0 ] || [ $tool_rc = 3 ] || return 1
			sed "s|^|BENCH dma bytes=$bytes loops=5 rep=$r |" /tmp/dmatime
		done
		r=$((r + 1))
	done

	unload dma_demo || return 1

	echo "KMM-STEP dma: dma_map_single + dma_unmap_single against memcpy"
	bdf=$(edu_bdf)
	[ -n "$bdf" ] || { echo "BENCH-FAILED dma: no edu device"; return 1; }
	override=/sys/bus/pci/devices/$bdf/driver_override
	load kmm_bench || return 1
	bench_probe -f dma_map || { unload kmm_bench; return 1; }
	mb=/sys/kernel/debug/kmm_bench/dma_map
	r=0
	if echo kmm_bench >"$override" &&
		echo "$bdf" >/sys/bus/pci/drivers/kmm_bench/bind; then
		while [ $r -lt $reps ]; do
			for bytes in 64 512 4096 65536; do
				echo "$bytes 10000" >$mb || break 2
				echo "BENCH dma_map rep=$r $(cat $mb)"
			done
			r=$((r + 1))
		done
	fi
	# Unloading unbinds it; without the override the device is
	# dma_demo's again.
	unload kmm_bench
	echo >"$override"
	[ $r = $reps ] || return 1
	echo "KMM-STEP dma: done in $(($(cut -d. -f1 /proc/uptime) - start)) s"
}

# Zero copy: write a driver's buffer to a RAM disk opened O_DIRECT,
# straight from its mapping (the block layer takes the mapped pages
# themselves) against the bytes first copied into an ordinary buffer
# (read() from the node, or memcpy() out of a dma-buf mapping), for
# vmalloc_demo's mapping, its buffer exported as a dma-buf and a
# dma_demo DMA buffer (probes/copytime).
bench_zcopy() {
	start=$(cut -d. -f1 /proc/uptime)
	echo "KMM-STEP zcopy: O_DIRECT writes of 64 KiB to 4 MiB, from the mapping or copied first"
	[ -b /dev/ram0 ] || [ ! -e /kmm/kmods/brd.ko ] ||
		insmod /kmm/kmods/brd.ko rd_nr=1 rd_size=8192
	[ -b /dev/ram0 ] || { echo "BENCH-FAILED zcopy: no RAM disk (/dev/ram0)"; return 1; }
	load vmalloc_demo size=4194304 || return 1
	load dma_demo || return 1
	srcs="vmalloc_demo vmalloc_demo-dmabuf"
	# The VM always has an edu device: without dma_demo's node the
	# dma_demo-dmabuf goal goes unmeasured, a miss; the others still run.
	if [ -e /dev/dma_demo0 ]; then
		srcs="$srcs dma_demo-dmabuf"
	else
		echo "BENCH-FAILED zcopy: no /dev/dma_demo0, no dma_demo-dmabuf source"
	fi
	r=0
	while [ $r -lt $reps ]; do
		for bytes in 65536 262144 1048576 4194304; do
			loops=$((16777216 / bytes))
			[ $loops -le 64 ] || loops=64
			# shellcheck disable=SC2086 # one word per source
			"$KMM/probes/copytime" /dev/ram0 $bytes $loops $srcs >/tmp/copytime
			tool_rc=$?
			# 3: every loop ran, and a write was short, which its line shows
			[ $tool_rc = 0 ] || [ $tool_rc = 3 ] || return 1
			sed "s|^|BENCH zcopy loops=$loops rep=$r |" /tmp/copytime
		done
		r=$((r + 1))
	done
	unload dma_demo
	unload vmalloc_demo
	echo "KMM-STEP zcopy: done in $(($(cut -d. -f1 /proc/uptime) - start)) s"
}

# Scale: two readers at once against one alone, on one scullp device, one
# vmalloc_demo buffer and one tmpfs file of $sc_scale_mib MiB each, in
# turn within each repetition: "one" is a dd reading it all in 1 MiB
# blocks, "two" two of them at once (stopwatch -j 2: from the first start
# to the last end, the bytes of both).  The guest has two vCPUs: what a second reader gains is
# what of a read runs outside any lock the two share.
sc_scale_mib=64
bench_scale() {
	mib=$sc_scale_mib
	echo "KMM-STEP scale: one and two readers of $mib MiB on scullp, vmalloc_demo and tmpfs"
	load scullp || return 1
	load vmalloc_demo size=$((mib << 20)) || { unload scullp; return 1; }
	if ! dd if=/dev/zero of=/dev/scullp0 bs=1M count=$mib 2>/dev/null ||
		! dd if=/dev/zero of=/tmp/scale bs=1M count=$mib 2>/dev/null; then
		echo "BENCH-FAILED scale: cannot fill scullp0 or /tmp/scale with $mib MiB"
		unload vmalloc_demo
		unload scullp
		return 1
	fi
	r=0
	while [ $r -lt 7 ]; do
		for src in scullp:/dev/scullp0 vmalloc_demo:/dev/vmalloc_demo tmpfs:/tmp/scale; do
			echo "BENCH scale src=${src%%:*} rep=$r bytes=$((mib << 20))" \
				"$(t one dd if="${src#*:}" of=/dev/null bs=1M count=$mib)" \
				"$(t two -j 2 dd if="${src#*:}" of=/dev/null bs=1M count=$mib)"
		done
		r=$((r + 1))
	done
	rm -f /tmp/scale
	: >/dev/scullp0
	unload vmalloc_demo
	unload scullp
}

for g in $groups; do
	if command -v "bench_$g" >/dev/null 2>&1 || type "bench_$g" >/dev/null 2>&1; then
		"bench_$g" || echo "BENCH-FAILED $g"
	else
		echo "BENCH-FAILED $g: no such group"
	fi
done
