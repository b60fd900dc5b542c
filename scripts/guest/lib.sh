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

# Free pages, counting those parked on the per-cpu lists, which
# nr_free_pages leaves out: a large free can leave thousands there.
# Shrinking every slab cache first gives back its empty slabs and, on a
# KASAN kernel, the freed objects its quarantine holds back (up to a 32nd
# of memory, until it fills): a driver's freed buffers would otherwise
# count as missing for a while, by chance.  The aliases of a merged cache
# are symbolic links to it, shrunk once.
free_pages() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	for fp_cache in /sys/kernel/slab/*; do
		[ -L "$fp_cache" ] || echo 1 >"$fp_cache/shrink"
	done
	awk '$1 == "pages" && $2 == "free" { n += $3 }
	     $1 == "count:" { n += $2 }
	     END { print n }' /proc/zoneinfo
}

# count_missing WHAT CMD...: run CMD twice, each time between two counts
# of free pages, say every count, and set missing to the mean of the
# pages the two runs did not give back.  A leak takes its pages every
# time; the kernel's own growth (a slab page, a page table, the per-cpu
# lists) comes once or comes and goes, and the mean halves it, without
# throwing either count away.  Each run has batch set to its number (1, 2).
count_missing() {
	cm_what=$1
	shift
	cm_total=0
	for batch in 1 2; do
		cm_before=$(free_pages)
		"$@"
		cm_after=$(free_pages)
		echo "# $cm_what, run $batch of 2: free pages before $cm_before, after $cm_after," \
			"$((cm_before - cm_after)) missing"
		cm_total=$((cm_total + cm_before - cm_after))
	done
	missing=$((cm_total / 2))
	echo "# $cm_what: $missing pages missing, the mean of the two runs"
}
