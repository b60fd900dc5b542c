# SPDX-License-Identifier: GPL-2.0
# The test plan inside the VM.  Prints TAP lines (its own and the probes'),
# KUnit results and the kernel log between markers that scripts/check.sh
# reads on the host.  Exit status: 0 when the plan ran to its end.
# shellcheck shell=sh
# shellcheck source=lib.sh
. /kmm/guest/lib.sh

kunit_only=0
grep -q 'kmm.kunit_only' /proc/cmdline && kunit_only=1
# kmm.probes_only: only the probes (an extra boot that varies the kernel's
# command line has no need to repeat KUnit and the load/unload loops).
probes_only=0
grep -q 'kmm.probes_only' /proc/cmdline && probes_only=1
# kmm.variant: a second boot of a kernel that varies the machine (an
# IOMMU): probes, KUnit and the page count around the exercise; not the
# bad parameters and load/unload loops, which the kernel's own boot ran
# and which no machine changes.
variant=0
grep -q 'kmm.variant' /proc/cmdline && variant=1
# kmm.only=MODULE: this boot tests one driver (say, dma_demo with swiotlb=force).
only=$(sed -n 's/.*kmm\.only=\([a-z_0-9]*\).*/\1/p' /proc/cmdline)
# kmm.iommu: an IOMMU translates the devices' DMA (QEMU's q35 with an
# Intel IOMMU, intel_iommu=on iommu.strict=1; arm64's virt machine with
# its SMMUv3): the plan checks that it does, and that dma_demo bounced
# nothing.
iommu=0
grep -q 'kmm.iommu' /proc/cmdline && iommu=1
kmemleak=/sys/kernel/debug/kmemleak
# A debug kernel (KUnit, KASAN, kmemleak...): the test-* kernels.
debug=0
[ -d /sys/kernel/debug/kunit ] && debug=1
# kmemleak's own thread would scan every ten minutes, taking a vCPU from
# the tests for half a minute each time: the plan scans when it is done.
if [ -w $kmemleak ]; then
	echo scan=off >$kmemleak
	echo clear >$kmemleak
fi

# Fault injection (test kernels): let /proc/self/task/*/fail-nth and the
# tests' fail_nth reach GFP_KERNEL allocations of every order, quietly.
for fi in /sys/kernel/debug/fail_page_alloc /sys/kernel/debug/failslab \
	/sys/kernel/debug/fail_usercopy; do
	[ -d $fi ] || continue
	[ -e $fi/ignore-gfp-wait ] && echo N >$fi/ignore-gfp-wait
	echo 0 >$fi/verbose
done
[ -e /sys/kernel/debug/fail_page_alloc/min-order ] &&
	echo 0 >/sys/kernel/debug/fail_page_alloc/min-order

# step TEXT: a step of the plan, with the guest's clock, for the host's
# console and for finding where the time goes.
step() {
	echo "KMM-STEP $* (at $(cut -d' ' -f1 /proc/uptime) s)"
}

# kmm.extra_sets=MOD,MOD: the drivers whose every parameter set this
# debug kernel runs (each set runs on at least one debug kernel).
extra_sets=$(sed -n 's/.*kmm\.extra_sets=\([a-z_0-9,]*\).*/\1/p' /proc/cmdline)

# Parameter sets each driver's probes run under (one line each).  The
# stock kernels run them all.  A debug kernel is several times slower under
# emulation, so it runs the defaults, the sets that reach allocation paths
# of their own (vmalloc_demo's vmap backend) for fault injection, and
# every set of the drivers in kmm.extra_sets: under the others, the
# functional and the hostile probe (which fails every allocation in turn),
# not the rest (probe_in_set).
param_sets() {
	if [ $debug = 1 ]; then
		case ",$extra_sets," in
		*",$1,"*) ;;
		*)
			case $1 in
			vmalloc_demo) printf '%s\n' "" "backend=vmap" ;;
			*) echo "" ;;
			esac
			return
			;;
		esac
	fi
	case $1 in
	scullp) printf '%s\n' "" "scullp_order=4 scullp_qset=7" ;;
	mmap_demo) printf '%s\n' "" "npages=1" ;;
	vmalloc_demo) printf '%s\n' "" "backend=vmap" "size=100000" ;;
	*) echo "" ;;
	esac
}

# probe_in_set PROBE PARAMS: whether PROBE runs under the parameter set
# (a 32-bit twin, NAME-m32, where its 64-bit probe does).
probe_in_set() {
	[ $debug = 1 ] && [ -n "$2" ] || return 0
	case $1 in
	*_probe | *_hostile | *_probe-m32 | *_hostile-m32) return 0 ;;
	esac
	return 1
}

# Something that makes a driver allocate a good deal of memory.
exercise() {
	case $1 in
	scullp) dd if=/dev/zero of=/dev/scullp3 bs=1M count="$2" 2>/dev/null ;;
	# The buffer is fixed at load: reload with $2 MiB of it, then write it
	# and map and touch it through every node.
	mmap_demo)
		unload mmap_demo && load mmap_demo npages=$((($2 << 20) / page_size)) &&
			dd if=/dev/zero of=/dev/mmap_demo_remap bs=1M count="$2" 2>/dev/null &&
			for n in remap fault insert; do
				mapcat /dev/mmap_demo_$n $(($2 << 20)) >/dev/null || return 1
			done
		;;
	# Grow the buffer to $2 MiB and fill it, shrink it to a page, grow it
	# again: a buffer lost by a resize or by unloading is $2 MiB.
	vmalloc_demo)
		for bytes in $(($2 << 20)) "$page_size" $(($2 << 20)); do
			"$KMM"/probes/vminfo -r "$bytes" >/dev/null || return 1
		done &&
			dd if=/dev/zero of=/dev/vmalloc_demo bs=1M count="$2" 2>/dev/null
		;;
	# The device holds 4 KiB whatever $2 is: $dma_round_trips round trips
	# of the whole file in each buffer strategy (a transfer takes 100 ms
	# of the emulated device's timer).
	dma_demo)
		file_size=4095
		grep -q Y /sys/module/dma_demo/parameters/full_buffer && file_size=4096
		"$KMM"/probes/dmatime $file_size $dma_round_trips coherent streaming direct >/dev/null
		;;
	*) false ;;
	esac
}

# exercise_size, what exercise gets as its size, and leak_limit MODULE,
# the most free pages that may be missing after it: a quarter of the
# memory the exercise makes the driver hold (16 MiB: 4096 pages of 4 KiB,
# 256 of 64 KiB), far above the count's own noise (up to 40 pages either
# way around an exercise, halved by the mean of two), far below a buffer
# lost at unload.  dma_demo's device holds one page: its limit is the
# noise's, and a page lost per transfer is the load cycles' to see (two
# transfers each, in the strategies that allocate and pin).
exercise_size=16
dma_round_trips=4
leak_limit() {
	case $1 in
	dma_demo) echo 48 ;;
	*) echo $(((exercise_size << 20) / page_size / 4)) ;;
	esac
}

# node_of MODULE: one device node of the driver.
node_of() {
	case $1 in
	mmap_demo) echo /dev/mmap_demo_remap ;;
	scullp | dma_demo) echo "/dev/${1}0" ;;
	*) echo "/dev/$1" ;;
	esac
}

# The drivers: every module but the KUnit suites and make bench's
# kmm_bench (built only for make bench; never loaded here).
drivers=""
for ko in "$KMM"/modules/*.ko; do
	mod=$(basename "$ko" .ko)
	case $mod in *_kunit | kmm_bench) continue ;; esac
	[ -z "$only" ] || [ "$mod" = "$only" ] || continue
	drivers="$drivers $mod"
done

# dma_demo_bounced: the bounced counters of every dma_demo device, summed;
# dma_demo_transfers: the same for the transfers.
dma_demo_bounced() {
	cat /sys/class/misc/dma_demo*/bounced 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'
}
dma_demo_transfers() {
	cat /sys/class/misc/dma_demo*/transfers 2>/dev/null | awk '{ n += $1 } END { print n + 0 }'
}

# dma_demo_unbounced WHAT: behind the IOMMU, the loaded dma_demo made
# transfers during WHAT and bounced none of them (its counters start at
# each bind).  Nothing to check on another boot.
dma_demo_unbounced() {
	[ $iommu = 1 ] || return 0
	ub_transfers=$(dma_demo_transfers)
	ub_bounced=$(dma_demo_bounced)
	echo "# dma_demo: IOMMU: $1: $ub_transfers transfers, $ub_bounced segments bounced"
	check "dma_demo: IOMMU: $1 made transfers" [ "$ub_transfers" -gt 0 ]
	check "dma_demo: IOMMU: $1 bounced none" [ "$ub_bounced" -eq 0 ]
}

# 0. Behind an IOMMU: the edu device is in an IOMMU group whose domain
#    translates with strict invalidation (type DMA; a lazy one says
#    DMA-FQ, a passthrough one identity), and dma_demo sees it: it maps
#    imported dma-bufs for its engine instead of bouncing them.
if [ $iommu = 1 ]; then
	step "IOMMU"
	edu=""
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = 0x1234:0x11e8 ] && edu=$d
	done
	# With its driver bound: arm64 puts a device in its IOMMU group at
	# probe time (of_dma_configure()), x86 at boot.
	if load dma_demo; then
		type=$(cat "$edu/iommu_group/type" 2>/dev/null)
		echo "# edu ${edu##*/}: IOMMU group $(readlink "$edu/iommu_group" 2>/dev/null | sed 's|.*/||'), type ${type:-none}"
		check "the edu device is behind the IOMMU, in a strict DMA domain" \
			[ "$type" = DMA ]
		check "dma_demo: behind the IOMMU, imported dma-bufs are mapped for the engine (dmabuf_direct 1)" \
			grep -qx 1 /sys/class/misc/dma_demo0/dmabuf_direct
		check "dma_demo: rmmod after the IOMMU checks" unload dma_demo
	else
		check "dma_demo: insmod for the IOMMU checks" false
	fi
fi

# fault_injection_tests PROBE: the -t options that pick a hostile probe's
# fault-injection cases (those that fail every step in turn with fail-nth).
fault_injection_tests() {
	"$1" -l 2>&1 | awk '{ print $NF }' | grep '^fault_injection' | sort -u |
		sed 's/^/-t /'
}

# node_variants PROBE MOD: the -v options that pick the variants of a
# probe shared by several drivers (buffer_hostile) that are MOD's, named
# after its device nodes (MOD, MOD_NODE); none if it has none.
node_variants() {
	"$1" -l 2>&1 | awk -v mod="$2" '{
		for (i = 1; i <= NF; i++)
			if ($i == mod || index($i, mod "_") == 1)
				print "-v " $i
	}'
}

# module_probe PROBE NAME [ARGS]: run PROBE under the parameter set
# ($params, $set_tag), its results named NAME@SET, if it runs there.
module_probe() {
	mp_probe=$1
	# shellcheck disable=SC2034 # run_probe's
	probe_name=$2${set_tag:+@$set_tag}
	shift 2
	probe_in_set "$mp_probe" "$params" || return 0
	# A 32-bit twin needs a kernel that runs 32-bit programs
	# (IA32_EMULATION, which registers abi.vsyscall32): every x86
	# kernel; the manifest lists twins only there.
	case $mp_probe in
	*-m32) [ -e /proc/sys/abi/vsyscall32 ] || return 0 ;;
	esac
	if ! [ -x "$mp_probe" ]; then
		check "$probe_name: the probe is executable" false
		return 0
	fi
	# Races are what these look for (KCSAN, if the kernel has it).
	case $mp_probe in
	*_stress | *_fuzz | *_lifetime) kcsan_eager on ;;
	esac
	run_probe "$mp_probe" "$@"
	kcsan_eager off
}

# 1. Probes, under each parameter set: the driver's own, then its variants
#    of the probes that drivers share, named after it.  The fault-injection
#    cases depend on where mmap() puts things: on a kernel with fail-nth
#    they run a second time with address-space randomisation off, a layout
#    that repeats.
swiotlb=0
grep -q 'swiotlb=force' /proc/cmdline && swiotlb=1
[ $kunit_only = 1 ] || for mod in $drivers; do
	param_sets "$mod" | while read -r params; do
		step "$mod probes ${params:-(default parameters)}"
		# The probes check that the driver runs at what it was loaded with.
		export KMM_PARAMS="$params"
		# shellcheck disable=SC2086
		if ! load "$mod" $params; then
			check "$mod: insmod $params" false
			continue
		fi
		# A probe's results carry the set it ran under (name@a=1,b=2).
		set_tag=$(echo "$params" | tr ' ' ',')
		for p in "$KMM"/probes/"$mod"_*; do
			module_probe "$p" "$(basename "$p")"
		done
		# Where the twin is not built (arm64), -l finds no variant.
		for p in "$KMM"/probes/buffer_hostile "$KMM"/probes/buffer_hostile-m32; do
			variants=$(node_variants "$p" "$mod")
			# shellcheck disable=SC2086 # one word per option
			[ -z "$variants" ] ||
				module_probe "$p" "${mod}_$(basename "$p")" $variants
		done
		probe_name=
		if [ -e /proc/self/fail-nth ] && [ -x "$KMM/probes/${mod}_hostile" ]; then
			p=$KMM/probes/${mod}_hostile
			echo 0 >/proc/sys/kernel/randomize_va_space
			# shellcheck disable=SC2034 # run_probe's
			probe_name=${mod}_hostile-noaslr${set_tag:+@$set_tag}
			# shellcheck disable=SC2046
			run_probe "$p" $(fault_injection_tests "$p")
			# shellcheck disable=SC2034
			probe_name=
			echo 2 >/proc/sys/kernel/randomize_va_space
		fi
		# With swiotlb=force the kernel's bounce buffers lie beyond the
		# edu's 28-bit reach: streaming and direct transfers must go
		# through dma_demo's own fallback (the probes pass either way
		# when the bytes happen to survive; the counter tells).
		if [ "$mod" = dma_demo ] && [ "$swiotlb" = 1 ]; then
			for strategy in streaming direct; do
				bounced=$(dma_demo_bounced)
				check "dma_demo: swiotlb=force: $strategy round trips" \
					"$KMM"/probes/dmatime 4095 2 $strategy
				bounced=$(($(dma_demo_bounced) - bounced))
				echo "# dma_demo: $strategy: $bounced segments bounced"
				check "dma_demo: swiotlb=force: $strategy transfers bounced through the driver's buffer" \
					[ "$bounced" -gt 0 ]
			done
		fi
		# Behind the IOMMU every page the device is given maps to an
		# IOVA within its reach, wherever the page lies: the same round
		# trips move the user's own pages, and nothing bounces.
		if [ "$mod" = dma_demo ] && [ $iommu = 1 ]; then
			for strategy in streaming direct; do
				check "dma_demo: IOMMU: $strategy round trips" \
					"$KMM"/probes/dmatime 4095 2 $strategy
			done
			dma_demo_unbounced "the probes"
		fi
		check "$mod: rmmod after the probes" unload "$mod"
	done
done

# 1a. Which mappings can be pinned (O_DIRECT, io_uring fixed buffers,
#     vmsplice): every driver loaded at once, and a RAM disk to do the
#     I/O with (built in on the test kernels, brd.ko from Debian's image
#     package on the stock ones).  Not under swiotlb=force; kmm.pinnable
#     runs it with every driver on a boot that tests one (test-6.12's
#     boot behind the IOMMU: its main boot has swiotlb=force).
pin_drivers=$drivers
if grep -q 'kmm.pinnable' /proc/cmdline; then
	pin_drivers=""
	for ko in "$KMM"/modules/*.ko; do
		mod=$(basename "$ko" .ko)
		case $mod in *_kunit | kmm_bench) continue ;; esac
		pin_drivers="$pin_drivers $mod"
	done
fi
if [ $kunit_only = 0 ] && [ $swiotlb = 0 ]; then
	step "pinnable mappings"
	[ -b /dev/ram0 ] || [ ! -e /kmm/kmods/brd.ko ] ||
		insmod /kmm/kmods/brd.ko rd_nr=1 rd_size=1024
	check "a RAM disk for O_DIRECT I/O (/dev/ram0)" [ -b /dev/ram0 ]
	for mod in $pin_drivers; do
		load "$mod" || check "$mod: insmod for the pinnable mappings" false
	done
	[ -b /dev/ram0 ] && run_probe "$KMM"/probes/pinnable /dev/ram0
	for mod in $pin_drivers; do
		check "$mod: rmmod after the pinnable mappings" unload "$mod"
	done
fi

# 1b. Every driver refuses every bad parameter value at load, in one log
#     line (none is loaded now: each was unloaded after its probes).
if [ $kunit_only = 0 ] && [ $probes_only = 0 ] && [ $variant = 0 ]; then
	step "bad module parameters"
	# A debug kernel tries the first bad value of each parameter.
	export BAD_PARAMS_FIRST=$debug
	# shellcheck disable=SC2086 # one word per driver
	run_probe "$KMM"/probes/bad_params.sh "$KMM"/modules $drivers
	unset BAD_PARAMS_FIRST
fi

# 1c. make vm's loop: the host's module tree, shared over 9p (kmm.share,
#     the kernel's own boot), mounted read-only; a module loaded from it.
if grep -q 'kmm.share' /proc/cmdline && [ -z "$only" ] && [ $kunit_only = 0 ]; then
	step "the module tree over 9p"
	check "9p mount: the host's module tree mounted read-only at $checkout" mount_checkout
	check "9p mount: scullp.ko there is the one this guest loads" \
		cmp $checkout/scullp/scullp.ko "$KMM"/modules/scullp.ko
	check "9p mount: nothing can be written there (EROFS)" \
		sh -c "! touch $checkout/kmm-written 2>/tmp/touch.err && grep -q 'Read-only' /tmp/touch.err"
	check "9p mount: scullp loaded from it stores a write, and unloads" \
		sh -c "insmod $checkout/scullp/scullp.ko && echo kmm >/dev/scullp0 &&
			[ \"\$(cat /dev/scullp0)\" = kmm ] && rmmod scullp"
	check "9p mount: unmounted" umount $checkout
fi

# 2. KUnit suites: each runs when its module is loaded and prints its
#    KTAP to the kernel log; hand the host what this load added to the log
#    (6.1's debugfs results keep only the last parameter of each case).
#    A driver's suite needs the driver loaded; the suite of the rules the
#    drivers share (kmm_rules_kunit, include/kmm_rules.h) has no driver.
[ $probes_only = 1 ] || for ko in "$KMM"/modules/*_kunit.ko; do
	[ -e "$ko" ] || continue
	kmod=$(basename "$ko" .ko)
	mod=${kmod%_kunit}
	[ -z "$only" ] || [ "$mod" = "$only" ] || continue
	driver=$mod
	[ -e "$KMM/modules/$mod.ko" ] || driver=
	step "$kmod"
	[ -z "$driver" ] || load "$mod" || check "$mod: insmod for KUnit" false
	lines=$(dmesg | wc -l)
	load "$kmod" || check "$kmod: insmod" false
	echo "KMM-KUNIT-BEGIN $mod"
	dmesg | tail -n +$((lines + 1))
	echo "KMM-KUNIT-END $mod"
	[ "$mod" != dma_demo ] || dma_demo_unbounced "KUnit"
	check "$kmod: rmmod" unload "$kmod"
	[ -z "$driver" ] || check "$mod: rmmod after KUnit" unload "$mod"
done

# 3. Nothing leaks: load, use and unload each driver in batches of cycles
#    (probes/load_cycles, one process: no fork+exec per step; a cycle
#    writes, reads, maps, pins and ioctls, and takes a dma-buf where the
#    driver has one) with the free pages counted around each batch, refuse
#    rmmod while a file is open, then compare free pages around one big
#    use and unload.  Each unload waits for RCU grace periods (module
#    memory, lockdep's keys), many ticks on an emulated CPU; expedited
#    grace periods keep a cycle to about a quarter of a second on a debug
#    kernel.
# The trend decides, not one count (count_missing): a page lost per cycle
# takes $cycles pages in every batch, while what the kernel holds for a
# while swings between batches and evens out in their mean, which must be
# under half a page a cycle.  Where kmemleak runs (the debug kernels),
# slabs and vmalloc areas count as free: kmemleak reports an object or an
# area lost there, and the pages they hold come and go with the kernel's
# own bookkeeping (KASAN's quarantine and shadow, the workers' stacks).
# What is left is quiet enough for three batches of twenty cycles, which
# keep a debug kernel's step short.
warm_cycles=10
cycles=40
cycle_batches=3
if [ $debug = 1 ]; then
	warm_cycles=10
	cycles=20
	cycle_batches=3
fi
cycle_limit=$((cycles / 2))
# cycle_batch MODULE: a batch of cycles of load, use and unload
# ($warm_cycles in the warm-up, batch 0), the probe's results named by
# the batch.
cycle_batch() {
	cb_cycles=$cycles
	[ "$batch" != 0 ] || cb_cycles=$warm_cycles
	# shellcheck disable=SC2034 # run_probe's
	probe_name=${1}_load_cycles-$batch
	run_probe "$KMM"/probes/load_cycles "$KMM/modules/$1.ko" $cb_cycles /dev/ram0
	probe_name=
}
# load_cycles MODULE: the warm-up batch, then $cycle_batches batches of
# $cycles cycles, each counted.
load_cycles() {
	echo 1 >/sys/kernel/rcu_expedited
	[ ! -w $kmemleak ] || free_also="Slab VmallocUsed"
	count_missing -w "$1: $cycles load cycles a batch" $cycle_batches cycle_batch "$1"
	free_also=""
	echo 0 >/sys/kernel/rcu_expedited
	check "$1: $cycle_batches batches of $cycles load cycles give back their pages (under $cycle_limit missing a batch, on average)" \
		[ "$missing" -lt $cycle_limit ]
}

# exercise_counted MODULE: load, one large use, unload: the count from
# before the load to after the unload leaves the module's own memory (its
# text, its device) out.
exercise_counted() {
	load "$1"
	check "$1: the exercise for the page count runs (run $batch)" \
		exercise "$1" $exercise_size
	[ "$1" != dma_demo ] || dma_demo_unbounced "the exercise (run $batch)"
	unload "$1"
}

# The cycles' pins read from a RAM disk (see 1a).
if [ $kunit_only = 0 ] && [ $probes_only = 0 ] && [ $variant = 0 ]; then
	[ -b /dev/ram0 ] || [ ! -e /kmm/kmods/brd.ko ] ||
		insmod /kmm/kmods/brd.ko rd_nr=1 rd_size=1024
fi
[ $kunit_only = 1 ] || [ $probes_only = 1 ] || for mod in $drivers; do
	step "$mod load/unload"
	node=$(node_of "$mod")
	[ $variant = 1 ] || load_cycles "$mod"

	load "$mod"
	exec 3<"$node"
	check "$mod: rmmod refused while $node is open" \
		sh -c "! rmmod $mod 2>/dev/null && grep -q '^$mod ' /proc/modules"
	exec 3<&-
	check "$mod: rmmod once it is closed" unload "$mod"

	limit=$(leak_limit "$mod")
	count_missing "$mod: the exercise" 2 exercise_counted "$mod"
	check "$mod: unloading gives its pages back (less than $limit missing)" \
		[ "$missing" -lt "$limit" ]
done

# 4. The debugging aids of a debug kernel are still on: a detector that
#    switched itself off (lockdep after its first report, kmemleak or
#    DMA-API debug out of memory) would let every later report go unseen.
if [ $debug = 1 ]; then
	step "debug aids"
	check "lockdep is still on (debug_locks 1)" \
		grep -Eq '^ *debug_locks: +1$' /proc/lockdep_stats
	check "kmemleak is still on" sh -c "echo scan=off >$kmemleak"
	check "DMA-API debug is still on" \
		grep -qx N /sys/kernel/debug/dma-api/disabled
fi

# 5. The reports a debug kernel keeps: kmemleak, DMA-API debug.
if [ -w $kmemleak ]; then
	step "kmemleak scan"
	# Twice: a scan holds back objects written since the scan before
	# (their checksum changed), so a leak made by the probes, say a
	# filled-in array lost on an error path, shows up only in the second.
	echo scan >$kmemleak
	echo scan >$kmemleak
	echo "KMM-KMEMLEAK-BEGIN"
	cat $kmemleak
	echo "KMM-KMEMLEAK-END"
fi
if [ -r /sys/kernel/debug/dma-api/error_count ]; then
	echo "KMM-DMA-API-ERRORS $(cat /sys/kernel/debug/dma-api/error_count)"
fi

# 6. Last, so that nothing the kernel logs goes unread: the taint flags
#    and the whole kernel log.
echo "KMM-TAINT $(cat /proc/sys/kernel/tainted)"
echo "KMM-DMESG-BEGIN"
dmesg | sed 's/^/dmesg: /'
echo "KMM-DMESG-END"

# The plan reached its end; its status says whether every check passed and
# every probe exited 0.
echo "KMM-PLAN-END"
if [ -s $KMM_FAILURES ]; then
	echo "# the plan's failures: $(wc -l <$KMM_FAILURES)"
	exit 1
fi
exit 0
