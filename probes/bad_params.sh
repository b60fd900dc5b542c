#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Every driver loaded with each invalid parameter value must be refused:
# loading fails with EINVAL ("Invalid argument"), the module is not left
# loaded, the kernel log gains one line and it names the module (the
# driver's, with the parameter and its range, or the kernel's parser's),
# and no WARNING or BUG.  Then, with each driver loaded as it comes, a
# writable parameter must refuse the same values on write.  TAP output,
# busybox sh.
#   Usage: [BAD_PARAMS_FIRST=1] bad_params.sh [MODULES_DIR [MODULE...]]
# BAD_PARAMS_FIRST=1 loads with the first bad value of each parameter only
# (a debug kernel, where a load takes seconds: each refusal takes the same
# path out of the module's init; the stock kernels try every value).
# MODULES_DIR defaults to /kmm/modules; the modules default to every
# driver below.  The modules must not be loaded when it starts.
set -u

dir=${1:-/kmm/modules}
[ $# -gt 0 ] && shift
mods=${*:-scullp vmalloc_demo mmap_demo dma_demo}
tmp=$(mktemp -d)
# One finit_module() a case, and the log lines it added (probes/finit):
# busybox's insmod would load a refusing module a second time with
# init_module(), and dmesg reads the whole log.
finit=$(dirname "$0")/finit
# A failed load waits for RCU grace periods, many ticks on an emulated
# CPU: expedite them while this runs, as the plan's load/unload loop does.
rcu=/sys/kernel/rcu_expedited
rcu_was=$(cat $rcu 2>/dev/null)
[ -z "$rcu_was" ] || echo 1 >$rcu
trap 'rm -rf "$tmp"; [ -z "$rcu_was" ] || echo "$rcu_was" >$rcu' EXIT
# shellcheck source=probes/tap.sh
. "$(dirname "$0")/tap.sh"

# The largest order the buddy allocator gives: /proc/buddyinfo has one
# column per order after "Node N, zone NAME".
max_order=$(awk '{ print NF - 5; exit }' /proc/buddyinfo)
# The page size: mmap_demo's npages is capped at 1 GiB of pages.
page_size=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps)
[ -n "$page_size" ] || { echo "Bail out! no KernelPageSize in /proc/self/smaps"; exit 1; }

# MODULE PARAMETERS: one case per line.  Values that do not parse as the
# parameter's type (a negative number for an unsigned one, a word for a
# number) are refused by the kernel's parser, with its own line naming the
# module; the others by the driver's checks.  Sizes in vmalloc_demo are
# rounded up to pages and mmap_demo's are in pages, so no driver has a size
# that must be a multiple of the page size.
cases() {
	cat <<EOF
scullp scullp_devs=0
scullp scullp_devs=-1
scullp scullp_devs=257
scullp scullp_order=-1
scullp scullp_order=$((max_order + 1))
scullp scullp_qset=0
scullp scullp_qset=-1
scullp scullp_qset=65537
scullp scullp_qset=many
scullp scullp_max_size=0
scullp scullp_max_size=-1
scullp scullp_max_size=18446744073709551615
scullp scullp_major=-1
scullp scullp_major=512
scullp scullp_fault_window=0
scullp scullp_fault_window=3
scullp scullp_fault_window=1048576
vmalloc_demo size=0
vmalloc_demo size=-1
vmalloc_demo size=4294967297
vmalloc_demo backend=vmalloc2
vmalloc_demo backend=
vmalloc_demo backend=kmalloc
mmap_demo npages=0
mmap_demo npages=-1
mmap_demo npages=$(((1 << 30) / page_size + 1))
mmap_demo fault_window=0
mmap_demo fault_window=-1
mmap_demo fault_window=24
mmap_demo fault_window=1048576
dma_demo timeout_ms=0
dma_demo timeout_ms=-1
dma_demo timeout_ms=60001
dma_demo full_buffer=2
dma_demo dmabuf_max_mb=0
dma_demo dmabuf_max_mb=-1
dma_demo dmabuf_max_mb=4097
dma_demo dmabuf_max_mb=lots
EOF
}

loaded() {
	grep -q "^$1 " /proc/modules
}

# bad_load MODULE PARAMS...: one TAP line.
bad_load() {
	bl_mod=$1
	shift
	bl_desc="$bl_mod $*: EINVAL, not loaded, one log line"
	"$finit" "$dir/$bl_mod.ko" "$@" >"$tmp/log" 2>"$tmp/out"
	bl_rc=$?
	bl_ok=0
	if [ $bl_rc -eq 0 ]; then
		echo "# insmod succeeded"
		bl_ok=1
	elif ! grep -q 'Invalid argument' "$tmp/out"; then
		echo "# insmod said: $(cat "$tmp/out")"
		bl_ok=1
	fi
	if loaded "$bl_mod"; then
		echo "# $bl_mod is loaded"
		bl_ok=1
		rmmod "$bl_mod"
	fi
	# What the log gained must be one line and name the module.  Not
	# counted: the first out-of-tree module of a boot taints the kernel
	# and says so.
	grep -v -e 'taints kernel\.$' -e 'tainting kernel$' "$tmp/log" >"$tmp/lines"
	if [ "$(wc -l <"$tmp/lines")" -ne 1 ] || ! grep -q "^$bl_mod: " "$tmp/lines"; then
		echo "# the log gained $(wc -l <"$tmp/lines") different lines, not one from $bl_mod"
		bl_ok=1
	fi
	if grep -q -e 'WARNING:' -e 'BUG:' -e 'Oops' -e 'Call Trace' -e 'cut here' \
		-e 'KASAN:' -e 'UBSAN:' "$tmp/log"; then
		echo "# the kernel log has a warning"
		bl_ok=1
	fi
	[ $bl_ok -eq 0 ] || sed 's/^/# log: /' "$tmp/log"
	ok $bl_ok "$bl_desc"
}

# writable MODULE: with the module loaded, each parameter is read-only,
# or refuses on write every value of its cases and keeps its value.
writable() {
	for f in /sys/module/"$1"/parameters/*; do
		[ -e "$f" ] || continue
		p=$(basename "$f")
		case $(stat -c %A "$f") in
		*w*) ;;
		*)
			ok 0 "$1 $p is read-only"
			continue
			;;
		esac
		before=$(cat "$f")
		n=0
		wr_ok=0
		for v in $(cases | sed -n "s/^$1 $p=\([^ ]*\)\$/\1/p"); do
			n=$((n + 1))
			if sh -c 'echo "$1" >"$2"' sh "$v" "$f" 2>/dev/null; then
				echo "# $1 $p: writing '$v' succeeded"
				wr_ok=1
			fi
		done
		if [ $n -eq 0 ]; then
			echo "# $1 $p is writable and has no bad values to try"
			wr_ok=1
		fi
		if [ "$(cat "$f")" != "$before" ]; then
			echo "# $1 $p: was $before, now $(cat "$f")"
			wr_ok=1
			echo "$before" >"$f"
		fi
		ok $wr_ok "$1 $p is writable and refuses its $n bad values"
	done
}

echo "TAP version 13"
cases >"$tmp/cases"
for mod in $mods; do
	if [ ! -e "$dir/$mod.ko" ]; then
		ok 1 "$mod: $dir/$mod.ko exists"
		continue
	fi
	if loaded "$mod"; then
		ok 1 "$mod is not loaded before its bad parameters"
		continue
	fi
	if ! grep -q "^$mod " "$tmp/cases"; then
		ok 1 "$mod has bad parameter values to try"
		continue
	fi
	tried=" "
	while read -r m params; do
		[ "$m" = "$mod" ] || continue
		if [ "${BAD_PARAMS_FIRST:-0}" = 1 ]; then
			case $tried in *" ${params%%=*} "*) continue ;; esac
			tried="$tried${params%%=*} "
		fi
		# shellcheck disable=SC2086 # the parameters are words
		bad_load "$m" $params
	done <"$tmp/cases"

	if insmod "$dir/$mod.ko"; then
		writable "$mod"
		rmmod "$mod"
	else
		ok 1 "$mod loads with its default parameters"
	fi
done
# shellcheck disable=SC2154 # counted by tap.sh
echo "1..$tap_n"
tap_exit
