# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest scripts; sourced.  Everything the guest needs is
# under /kmm: modules/ (*.ko), probes/ (programs and shell cases), guest/.
# shellcheck shell=sh

KMM=/kmm
n_checks=0
# Every check that failed and every probe that exited non-zero adds a line
# here: the plan's exit status says whether the file is empty.
KMM_FAILURES=/tmp/kmm-failures
# The kernel's page size in bytes: 4096 on x86-64, 65536 on arm64 with
# 64 KiB pages (busybox has no getconf).  For the scripts that source this.
# shellcheck disable=SC2034
page_size=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)

# load MODULE [param=value ...]: insmod from /kmm/modules.
load() {
	# Not "mod": check.sh's loops use that name (sh has no local scope).
	load_mod=$1
	shift
	insmod "$KMM/modules/$load_mod.ko" "$@"
}

# mount_checkout: mount what the host shares over 9p (qemu.sh's
# QEMU_SHARE: make vm's checkout, make check's module tree) read-only at
# /kmm/checkout, loading first the modules a Debian kernel has 9p and
# virtio in (/kmm/kmods/9p.order; a test kernel has them built in).
# Fails, saying why, when there is nothing to mount or it cannot.
checkout=/kmm/checkout
mount_checkout() {
	if [ -f /kmm/kmods/9p.order ]; then
		while read -r mc_mod; do
			grep -q "^$mc_mod " /proc/modules ||
				insmod "/kmm/kmods/$mc_mod.ko" || return 1
		done </kmm/kmods/9p.order
	fi
	mkdir -p $checkout
	mount -t 9p -o trans=virtio,version=9p2000.L,ro kmm $checkout
}

# unload MODULE: succeeds when the module is gone afterwards.
unload() {
	rmmod "$1" 2>/tmp/rmmod.err ||
		! grep -q "^$1 " /proc/modules || { cat /tmp/rmmod.err >&2; return 1; }
	! grep -q "^$1 " /proc/modules
}

# check "description" command...: one TAP line for a guest-side check.
check() {
	desc=$1
	shift
	n_checks=$((n_checks + 1))
	if "$@"; then
		echo "ok $n_checks $desc"
	else
		echo "not ok $n_checks $desc"
		echo "$desc" >>$KMM_FAILURES
	fi
}

# run_probe PATH [args]: a probe between markers, with its exit status and
# the seconds it took (the guest's clock: where a slow run spends its time).
# A probe that runs past $probe_limit seconds is killed and fails by
# itself; the plan goes on.  probe_name=NAME run_probe ... reports it
# under another name (the same probe run a second way).
probe_limit=300
run_probe() {
	name=${probe_name:-$(basename "$1")}
	probe_start=$(cut -d' ' -f1 /proc/uptime)
	echo "KMM-PROBE-BEGIN $name"
	timeout -k 10 $probe_limit "$@"
	probe_rc=$?
	[ $probe_rc = 0 ] || echo "$name rc=$probe_rc" >>$KMM_FAILURES
	probe_secs=$(awk -v a="$probe_start" '{ printf "%.1f", $1 - a }' /proc/uptime)
	if [ $probe_rc -ge 128 ] &&
		awk -v s="$probe_secs" -v l=$probe_limit 'BEGIN { exit !(s >= l) }'; then
		echo "KMM-PROBE-TIMEOUT killed after $probe_limit s"
	fi
	echo "KMM-PROBE-END $name rc=$probe_rc in $probe_secs s"
}

# kcsan_eager on|off: KCSAN (test-6.1) watches one memory access in
# skip_watch (4000) and stalls it for udelay_task (80 us) to catch a racing
# one: light enough for a whole plan, too light to catch a race in a
# short stress run under emulation.  The concurrency probes run with it
# watching one access in 100, twice as long.  No-op without KCSAN.
kcsan=/sys/module/kcsan/parameters
kcsan_eager() {
	[ -w $kcsan/skip_watch ] || return 0
	if [ "$1" = on ]; then
		kcsan_saved="$(cat $kcsan/skip_watch) $(cat $kcsan/udelay_task)"
		echo 100 >$kcsan/skip_watch
		echo 160 >$kcsan/udelay_task
	elif [ -n "${kcsan_saved:-}" ]; then
		echo "${kcsan_saved% *}" >$kcsan/skip_watch
		echo "${kcsan_saved#* }" >$kcsan/udelay_task
		kcsan_saved=
	fi
}

# timeout_running: whether a timeout process runs (no process started).
timeout_running() {
	for tr_pid in /proc/[0-9]*; do
		read -r tr_comm 2>/dev/null <"$tr_pid/comm" || continue
		[ "$tr_comm" != timeout ] || return 0
	done
	return 1
}

# free_pages: set free to the free pages, those parked on the per-cpu
# lists included (nr_free_pages leaves them out; a large free can leave
# thousands there).  Nothing in it starts a process: a child's page
# tables, task and stack go back only after an RCU grace period; and
# busybox's timeout (run_probe's) leaves a watcher behind its command for
# up to a second, a process of a few dozen pages, which it waits for.
# Dropping the caches runs every shrinker (kfree_rcu()'s batches too);
# the pause, a read from a FIFO no one writes to, lets what they give
# back through RCU come back; then every slab cache is shrunk, which
# gives back its empty slabs and, on a KASAN kernel, the freed objects
# its quarantine holds back (up to a 32nd of memory).  The aliases of a
# merged cache are symbolic links to it, shrunk once.  vm.stat_refresh
# folds what each CPU has not yet added to the zone's count (up to its
# stat threshold, tens of pages).  free_also: /proc/meminfo fields ("Slab
# VmallocUsed") whose pages count as free too; free_what says what free
# counts.
free_settle=0.5
free_also=""
free_pages() {
	[ -p /tmp/kmm-settle ] || mkfifo /tmp/kmm-settle
	fp_tries=0
	while [ $fp_tries -lt 30 ] && timeout_running; do
		# shellcheck disable=SC3045 # busybox's read has -t
		read -r -t 0.1 _ <>/tmp/kmm-settle
		fp_tries=$((fp_tries + 1))
	done
	echo 3 >/proc/sys/vm/drop_caches
	# shellcheck disable=SC3045 # busybox's read has -t
	read -r -t $free_settle _ <>/tmp/kmm-settle
	for fp_cache in /sys/kernel/slab/*; do
		[ -L "$fp_cache" ] || echo 1 >"$fp_cache/shrink"
	done
	echo 1 >/proc/sys/vm/stat_refresh
	free=0
	while read -r fp_1 fp_2 fp_3 _; do
		case $fp_1 in
		pages) [ "$fp_2" != free ] || free=$((free + fp_3)) ;;
		count:) free=$((free + fp_2)) ;;
		esac
	done </proc/zoneinfo
	free_what="free pages"
	[ -n "$free_also" ] || return 0
	while read -r fp_1 fp_2 _; do
		case " $free_also " in
		*" ${fp_1%:} "*) free=$((free + fp_2 * 1024 / page_size)) ;;
		esac
	done </proc/meminfo
	for fp_field in $free_also; do
		free_what="$free_what + $fp_field"
	done
}

# count_missing [-w] WHAT RUNS CMD...: run CMD RUNS times (batch set to
# the run's number, from 1), counting the free pages (free_pages) before
# the first run and after each, say every count, and set missing to the
# mean of the pages each run did not give back.  A leak takes its pages
# every run.  What the kernel holds for a while (a per-CPU list of free
# pages, a slab page, a worker's stack) is taken in one run and given
# back in a later one: the counts swing by tens of pages, and their sum
# telescopes to one such swing however many runs there are, so the mean
# shrinks it while a leak keeps its size.  -w: a warm-up run first
# (batch 0) for what the kernel keeps the first time, counted and said,
# not in the mean.
count_missing() {
	cm_first=1
	if [ "$1" = -w ]; then
		cm_first=0
		shift
	fi
	cm_what=$1
	cm_runs=$2
	shift 2
	cm_counts=""
	free_pages
	batch=$cm_first
	while [ $batch -le "$cm_runs" ]; do
		cm_before=$free
		"$@"
		free_pages
		cm_run="run $batch of $cm_runs"
		[ $batch != 0 ] || cm_run="warm-up run"
		echo "# $cm_what, $cm_run: $free_what before $cm_before, after $free," \
			"$((cm_before - free)) missing"
		[ $batch = 0 ] || cm_counts="$cm_counts $((cm_before - free))"
		batch=$((batch + 1))
	done
	missing=$(echo "$cm_counts" | awk '{ for (i = 1; i <= NF; i++) s += $i }
		END { print int(s / NF) }')
	echo "# $cm_what: $missing missing, the mean of$cm_counts"
}
