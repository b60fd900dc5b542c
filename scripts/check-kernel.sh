#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# One kernel's job in `make check` (scripts/check.py runs it): build the
# modules with W=1 (a warning fails), pack the guest, and run each planned
# boot: QEMU, the guest's test plan, parse-log.py on what it left.
# Results go to the run's results file (KMM_RESULTS) as they are decided.
#   Usage: check-kernel.sh RUN NAME
#   RUN/NAME.env: kernel.sh's assignments for NAME; RUN/NAME.boots: the
#   planned boots, "label;kernel arguments;IOMMU" a line.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run=${1:?usage: check-kernel.sh RUN NAME}
name=${2:?usage: check-kernel.sh RUN NAME}
export KMM_RESULTS=${KMM_RESULTS:-$run/results}

# The guest's console, as it runs: the plan's steps and TAP lines, not the
# bulk (kernel log, KUnit KTAP) that is parsed afterwards.
show_console() {
	local name=$1
	line_awk -v k="$name" '
		/^KMM-(KUNIT|KMEMLEAK|DMESG)-BEGIN/ { hide = 1 }
		/^KMM-(KUNIT|KMEMLEAK|DMESG)-END/ { hide = 0; next }
		hide || /^dmesg: / || /^#  (RUN|OK) / || /^#\s+OK / { next }
		/^KMM-STEP / { sub(/^KMM-STEP /, ""); print "==> [" k "] " $0; fflush(); next }
		/^KMM-/ { next }
		{ print "    [" k "] " $0; fflush() }'
}

# timed: each line with the host's clock (seconds since QEMU started),
# to see where a boot's time goes ($label.timed).
timed() {
	python3 -uc 'import sys, time
t0 = time.monotonic()
for line in sys.stdin:
    print(f"{time.monotonic() - t0:8.2f} {line}", end="")'
}

# int3_of_tcg RUN/LABEL: the boot's console has an "Oops: int3", before
# the plan's first step, with the kernel's code patching in its trace, or
# where the kernel's text holds no int3 any more: the byte before the
# trapping address in the oops's "Code:" line is the one text_poke_bp()
# put back (an int3 the kernel really ran, as in a jump into padding,
# shows "cc" there).
int3_of_tcg() {
	grep -q 'Oops: int3' "$1.console" 2>/dev/null || return 1
	grep -q '^KMM-STEP ' "$1.results" || return 0
	awk '/Oops: int3/ { n = 80 }
		n > 0 && /__static_call_update|text_poke|arch_jump_label_transform|__jump_label_update/ { hit = 1 }
		n > 0 && !code && /Code: .*<[0-9a-f][0-9a-f]>/ {
			code = 1
			split(substr($0, 1, index($0, "<") - 1), b, " ")
			if (b[length(b)] ~ /^[0-9a-f][0-9a-f]$/ && b[length(b)] != "cc") hit = 1
		}
		n > 0 { n-- }
		END { exit !hit }' "$1.console"
}

# boot KERNEL LABEL KERNEL-ARGUMENTS [IOMMU] [SHARE]: run the guest plan,
# record results.  IOMMU, if any, is qemu.sh's QEMU_IOMMU: the machine has
# one; SHARE, qemu.sh's QEMU_SHARE: a directory the guest mounts over 9p.
# The plan's results come on a channel of their own (QEMU's standard
# output: $label.results) and the kernel's console goes to
# $label.console.  A QEMU that did not exit by itself (a crash, a kill,
# the timeout) and a parser that failed are failures of their own,
# whatever the log says.
boot() {
	local name=$1 label=$2 args=$3 iommu=${4:-} share=${5:-} start=$SECONDS qemu_rc=0 parse_rc=0 verdict desc attempt
	step "booting $label under QEMU (TCG, $threads-threaded${iommu:+, with an $iommu IOMMU}) and running the test plan${args:+ ($args)}"
	for attempt in 1 2 3; do
		{
			qemu_rc=0
			# shellcheck disable=SC2086
			QEMU_TCG_THREAD=$threads QEMU_IOMMU=$iommu QEMU_SHARE=$share QEMU_CONSOLE=$run/$label.console timeout --foreground 2400 \
				"$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$run/$name.cpio.gz" check $args ||
				qemu_rc=$?
			echo "$qemu_rc" >"$run/$label.qemu-rc"
		} 2>&1 | sed -u 's/\r//g' | tee "$run/$label.results" >(timed >"$run/$label.timed") |
			show_console "$label"
		# An oops on an int3 is multi-threaded TCG meeting the kernel
		# mid-way through patching its own code (qemu.sh): seen in
		# Debian's own 6.12 at boot on a busy host, before anything of
		# ours was loaded, and while a tracepoint was switched.  Boot
		# again, twice at most, and say so; an int3 anywhere else, a
		# third, or one in a single-threaded guest fails the run.
		if [[ $threads == multi ]] && ((attempt < 3)) && int3_of_tcg "$run/$label"; then
			mv "$run/$label.console" "$run/$label.int3-$attempt.console"
			note "$label: the kernel oopsed on an int3 while it patched its own code" \
				"(QEMU's TCG, $run/$label.int3-$attempt.console); booting again"
			continue
		fi
		break
	done
	qemu_rc=$(cat "$run/$label.qemu-rc")
	case $qemu_rc in
	0) ;;
	124) record FAIL "$label" "QEMU was stopped after 2400 s" ;;
	*) record FAIL "$label" "QEMU exited with status $qemu_rc" ;;
	esac
	"$KMM_TOP/scripts/parse-log.py" "$run/$label.results" "$run/$label.console" "$SRC" "$run" \
		>"$run/$label.verdicts" 2>"$run/$label.parse.log" || parse_rc=$?
	while read -r verdict desc; do
		case $verdict in
		PASS | FAIL | SKIP) record "$verdict" "$label" "$desc" ;;
		*) record FAIL "$label" "parse-log.py: unreadable result: $verdict $desc" ;;
		esac
	done <"$run/$label.verdicts"
	((parse_rc == 0)) ||
		record FAIL "$label" "parse-log.py exited with status $parse_rc (see $run/$label.parse.log)"
	# The reports behind a failed gate, under the boot's label (a kernel
	# boots more than once).
	grep -E '^    (log|kmemleak): ' "$run/$label.parse.log" |
		sed "s/^    /    [$label] /" || true
	# A plan cut short says why in the console's last lines: show them
	# here, where a CI log that keeps only the summary still has them.
	if grep -q '^FAIL the test plan did not run to its end' "$run/$label.verdicts"; then
		echo "    [$label] the console's last lines ($run/$label.console):"
		tail -n 40 "$run/$label.console" 2>/dev/null | sed -u 's/\r//g' |
			sed "s/^/    [$label] console: /" || true
	fi
	note "$label: boot and test plan done in $(elapsed $((SECONDS - start)))"
}

# check_kernel: build the modules for the kernel, boot it, record.  A
# boot that cannot happen gets its verdict here.
check_kernel() {
	local start=$SECONDS obj why="" label args iommu
	eval "$(cat "$run/$name.env")"
	export ARCH # the guest's, for initramfs.sh and qemu.sh
	# The debug kernels get a host thread per vCPU (qemu.sh), so that
	# races truly overlap: KCSAN's watchpoint waits for the other vCPU to
	# touch the data, and KASAN sees what a race frees only if the two
	# sides meet.  The others get one thread.  Every boot's: see boot().
	[[ -r $KDIR/.config ]] || die "$name: no kernel config at $KDIR/.config"
	threads=single
	if grep -Eq '^CONFIG_(KCSAN|KASAN)=y' "$KDIR/.config"; then
		threads=multi
	fi
	if obj=$("$KMM_TOP/scripts/build.sh" "$name"); then
		record PASS "$name" "modules build with W=1 and no warning"
	else
		record FAIL "$name" "modules build with W=1 and no warning"
		why="the modules did not build"
	fi
	if [[ -z $why ]] && ! "$KMM_TOP/scripts/initramfs.sh" "$obj" "$run/$name.cpio.gz" "${KMODS:-}"; then
		why="the initramfs was not made"
	fi
	while IFS=';' read -r -u 3 label args iommu; do
		if [[ -n $why ]]; then
			record FAIL "$label" "$KMM_DID_NOT_RUN ($why)"
		elif [[ $label == "$name" ]]; then
			# The kernel's own boot mounts the module tree over 9p, as
			# make vm mounts the checkout.
			boot "$name" "$label" "$args" "$iommu" "$obj"
		else
			boot "$name" "$label" "$args" "$iommu"
		fi
	done 3<"$run/$name.boots"
	note "$name: done in $(elapsed $((SECONDS - start))), results and console: $run/$name.{results,console}"
}

check_kernel
