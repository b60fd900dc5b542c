#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test on every kernel of SPEC section 2.
#
# For each kernel: build the modules with W=1 (a warning fails), boot the
# VM, run the guest plan (probes, KUnit, leak checks, kernel log), and turn
# its console log into results.  Prints every case as it is decided and
# ends with one line: "N passed, N failed[, N skipped]".
#
#   check.sh [--kernel NAME]... [--kunit-only] [--only MODULE]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=()
kunit_only=0
only_arg=""
while (($#)); do
	case $1 in
	--kernel) kernels+=("$2"); shift ;;
	--kunit-only) kunit_only=1 ;;
	--only) only_arg="kmm.only=$2"; shift ;;
	*) die "usage: check.sh [--kernel NAME]... [--kunit-only] [--only MODULE]" ;;
	esac
	shift
done
if ((${#kernels[@]} == 0)); then
	if ((kunit_only)); then
		kernels=(test-6.12)
	else
		kernels=(debian-6.1 debian-6.12 test-6.1 test-6.12)
	fi
fi

run=$KMM_CACHE/runs/check-$(date +%Y%m%d-%H%M%S)
mkdir -p "$run"
results=$run/results
: >"$results"

# record VERDICT KERNEL DESCRIPTION
record() {
	echo "$1 [$2] $3" >>"$results"
	case $1 in
	PASS) printf '    ok      [%s] %s\n' "$2" "$3" ;;
	SKIP) printf '    skip    [%s] %s\n' "$2" "$3" ;;
	*) printf '    FAILED  [%s] %s\n' "$2" "$3" ;;
	esac
}

elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

step "checking dependencies"
"$KMM_TOP/scripts/deps.sh"

step "building the probes"
make -s -C "$KMM_TOP/probes" >/dev/null

# The guest's console, as it runs: the plan's steps and TAP lines, not the
# bulk (kernel log, KUnit KTAP) that is parsed afterwards.
show_console() {
	local name=$1
	awk -v k="$name" '
		/^KMM-(KUNIT|KMEMLEAK|DMESG)-BEGIN/ { hide = 1 }
		/^KMM-(KUNIT|KMEMLEAK|DMESG)-END/ { hide = 0; next }
		hide || /^dmesg: / || /^#  (RUN|OK) / || /^#\s+OK / { next }
		/^KMM-STEP / { sub(/^KMM-STEP /, ""); print "==> [" k "] " $0; fflush(); next }
		/^KMM-/ { next }
		{ print "    [" k "] " $0; fflush() }'
}

# boot KERNEL LABEL KERNEL-ARGUMENTS: run the guest plan, record results.
boot() {
	local name=$1 label=$2 args=$3
	local start=$SECONDS
	step "booting $label under QEMU (TCG) and running the test plan${args:+ ($args)}"
	# shellcheck disable=SC2086
	timeout 2400 "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$run/$name.cpio.gz" check $args 2>&1 |
		tr -d '\r' | tee "$run/$label.log" | show_console "$label" || true
	"$KMM_TOP/scripts/parse-log.py" "$run/$label.log" "$SRC" "$run" 2>"$run/$label.parse.log" |
		while read -r verdict desc; do
			record "$verdict" "$label" "$desc"
		done
	grep -E '^    (log|kmemleak): ' "$run/$label.parse.log" || true
	note "$label: boot and test plan done in $(elapsed $((SECONDS - start)))"
}

# Kernel arguments of a kernel's own boot.  test-6.12 runs its whole plan
# with swiotlb=force, so that DMA-API debug and KASAN watch dma_demo's
# transfers when every streaming mapping would bounce (QEMU's edu reaches
# only the low 256 MiB, the bounce pool lies above it, and dma_demo falls
# back to its coherent buffer); test-6.1 runs them with direct mappings.
boot_args() {
	case $1 in
	test-6.12) echo swiotlb=force ;;
	esac
}

# More boots, "kernels;label;kernel arguments" (kernels: glob patterns,
# space-separated), for drivers whose behaviour depends on how the kernel
# was booted; kmm.only=MODULE limits the plan to one driver (and the boot
# to kernels where it was built).  The stock kernels boot a second time
# with swiotlb=force for dma_demo.
extra_runs=(
	"debian-*;swiotlb=force;swiotlb=force kmm.only=dma_demo kmm.probes_only"
)
kunit_arg=$only_arg
((kunit_only)) && kunit_arg="$kunit_arg kmm.kunit_only"

# The host's own checks: checkpatch, sparse, the DKMS package.
host_checks() {
	local start=$SECONDS
	step "checkpatch --strict and sparse on the kernel sources"
	"$KMM_TOP/scripts/lint.sh" "$run" | while read -r verdict desc; do
		record "$verdict" host "$desc"
	done
	note "lint: done in $(elapsed $((SECONDS - start)))"
	start=$SECONDS
	step "DKMS package: add, build and install for Debian's 6.12 kernel"
	"$KMM_TOP/scripts/dkms-check.sh" | while read -r verdict desc; do
		record "$verdict" host "$desc"
	done
	note "dkms: done in $(elapsed $((SECONDS - start)))"
}

# matches NAME PATTERN...: does NAME match one of the glob patterns?
matches() {
	local name=$1 pattern
	shift
	for pattern; do
		# shellcheck disable=SC2053
		[[ $name == $pattern ]] && return 0
	done
	return 1
}

# check_kernel NAME: build the modules for one kernel, boot it, record.
check_kernel() {
	local name=$1 start=$SECONDS obj extra only args
	eval "$(cat "$run/$name.env")"
	if obj=$("$KMM_TOP/scripts/build.sh" "$name"); then
		record PASS "$name" "modules build with W=1 and no warning"
	else
		record FAIL "$name" "modules build with W=1 and no warning"
		return
	fi
	"$KMM_TOP/scripts/initramfs.sh" "$obj" "$run/$name.cpio.gz"

	read -r args <<<"$kunit_arg $(boot_args "$name")"
	boot "$name" "$name" "$args"
	((kunit_only)) || for extra in "${extra_runs[@]}"; do
		IFS=';' read -r patterns label args <<<"$extra"
		read -ra patterns <<<"$patterns"
		matches "$name" "${patterns[@]}" || continue
		only=$(sed -n 's/.*kmm\.only=\([a-z_0-9]*\).*/\1/p' <<<"$args")
		[[ -z $only || -n $(find "$obj" -name "$only.ko") ]] || continue
		boot "$name" "$name+$label" "$args"
	done
	note "$name: done in $(elapsed $((SECONDS - start))), log: $run/$name.log"
}

# label LABEL: put LABEL on each line of a job's output that has none,
# since two jobs print at once.
label() {
	awk -v k="$1" '
		/^(==> |    )( *(ok|skip|FAILED) +)?\[/ { print; fflush(); next }
		/^==> / { sub(/^==> /, "==> [" k "] "); print; fflush(); next }
		{ sub(/^ */, "&[" k "] "); print; fflush() }'
}

# First what every job needs, one at a time (a Debian kernel fetched, a
# test kernel built: these use every core already), ...
ready=()
for name in "${kernels[@]}"; do
	step "kernel $name"
	if "$KMM_TOP/scripts/kernel.sh" "$name" >"$run/$name.env"; then
		ready+=("$name")
	else
		record FAIL "$name" "kernel is ready to build for and boot"
	fi
done

# ... then the jobs, as many at once as there are cores (KMM_JOBS): a TCG
# guest running the plan keeps about one host core busy.  Longest first:
# the test kernels, the Debian ones, the host's checks.
jobs=()
for name in "${ready[@]}"; do [[ $name == test-* ]] && jobs+=("$name"); done
for name in "${ready[@]}"; do [[ $name == test-* ]] || jobs+=("$name"); done
((kunit_only)) || jobs+=(host)
max_jobs=${KMM_JOBS:-$(nproc)}
running=0
for job in "${jobs[@]}"; do
	if ((running >= max_jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
	if [[ $job == host ]]; then
		host_checks 2>&1 | label host | tee -a "$run/console" &
	else
		check_kernel "$job" 2>&1 | label "$job" | tee -a "$run/console" &
	fi
	running=$((running + 1))
done
wait

echo
echo "Time taken, part by part:"
grep -E 'done in [0-9]+m[0-9]+s' "$run/console" | sed 's/^ *//' || true
note "make check: done in $(elapsed "$SECONDS")"
passed=$(grep -c '^PASS ' "$results" || true)
failed=$(grep -c '^FAIL ' "$results" || true)
skipped=$(grep -c '^SKIP ' "$results" || true)
if ((failed)); then
	echo
	echo "Failed:"
	grep '^FAIL ' "$results" | sed 's/^FAIL /  /'
fi
echo
if ((skipped)); then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
((failed == 0 && passed > 0))
