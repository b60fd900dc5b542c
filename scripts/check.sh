#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test on every kernel of SPEC section 2.
#
# For each kernel: build the modules with W=1 (a warning fails), boot the
# VM, run the guest plan (probes, KUnit, leak checks, kernel log), and turn
# its console log into results.  On the host: the harness's own tests,
# checkpatch, sparse, DKMS.  Prints every case as it is decided and ends
# with one line: "N passed, N failed[, N skipped]"; exits non-zero on any
# failure, a job that died, or a planned boot that left no verdict.
#
#   check.sh [--kernel NAME]... [--only MODULE] [--kunit-only] [--host]
# --host: the host's checks, and the kernels --kernel names (none if none).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=()
kunit_only=0
only=""
host_only=0
while (($#)); do
	case $1 in
	--kernel) kernels+=("$2"); shift ;;
	--kunit-only) kunit_only=1 ;;
	--only) only=$2; shift ;;
	--host) host_only=1 ;;
	*) die "usage: check.sh [--kernel NAME]... [--only MODULE] [--kunit-only] [--host]" ;;
	esac
	shift
done
# The host's own checks (checkpatch, sparse, DKMS, the harness's own
# tests) belong to a whole run, or to --host: --kernel and --only run just
# what they name (--host --kernel NAME: the host's checks and one kernel).
host=0
if ((host_only)); then
	host=1
elif ((${#kernels[@]} == 0)); then
	if ((kunit_only)); then
		kernels=(test-6.12)
	else
		kernels=(debian-6.1 debian-6.12 test-6.1 test-6.12 test-6.12-arm64)
		[[ -n $only ]] || host=1
	fi
fi
[[ -z $only || -d $KMM_TOP/$only ]] || die "--only: no module directory '$only'"

# A directory of its own, even for two runs started in the same second.
mkdir -p "$KMM_CACHE/runs"
run=$(mktemp -d "$KMM_CACHE/runs/check-$(date +%Y%m%d-%H%M%S)-XXXX") ||
	die "cannot make a run directory under $KMM_CACHE/runs"
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
build_probes

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

# The verdict every planned boot ends in, once: parse-log.py gives it, or
# the job gives it when the boot could not happen.
RAN="the test plan ran to its end"
DID_NOT_RUN="the test plan did not run to its end"

# boot KERNEL LABEL KERNEL-ARGUMENTS [IOMMU]: run the guest plan, record
# results.  IOMMU, if any, is qemu.sh's QEMU_IOMMU: the machine has one.
# A QEMU that did not exit by itself (a crash, a kill, the timeout) and a
# parser that failed are failures of their own, whatever the log says.
boot() {
	local name=$1 label=$2 args=$3 iommu=${4:-} start=$SECONDS qemu_rc=0 parse_rc=0 verdict desc attempt
	step "booting $label under QEMU (TCG${iommu:+, q35 with an $iommu IOMMU}) and running the test plan${args:+ ($args)}"
	for attempt in 1 2; do
		{
			qemu_rc=0
			# shellcheck disable=SC2086
			QEMU_IOMMU=$iommu timeout --foreground 2400 \
				"$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$run/$name.cpio.gz" check $args ||
				qemu_rc=$?
			echo "$qemu_rc" >"$run/$label.qemu-rc"
		} 2>&1 | sed -u 's/\r//g' | tee "$run/$label.log" | show_console "$label"
		# An oops on an int3 before the plan's first step, when nothing of
		# ours is loaded, is QEMU's TCG meeting the kernel mid-way through
		# patching its own code (a breakpoint of text_poke_bp() still in a
		# translated block; seen in Debian's own 6.12 at boot, on a busy
		# host).  Boot again, once, and say so.
		if ((attempt == 1)) && ! grep -q '^KMM-STEP ' "$run/$label.log" &&
			grep -q 'Oops: int3' "$run/$label.log"; then
			mv "$run/$label.log" "$run/$label.int3.log"
			record SKIP "$label" "first boot: the kernel oopsed on an int3 before the test plan began (QEMU's TCG and the kernel's code patching, $run/$label.int3.log); booted again"
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
	"$KMM_TOP/scripts/parse-log.py" "$run/$label.log" "$SRC" "$run" \
		>"$run/$label.results" 2>"$run/$label.parse.log" || parse_rc=$?
	while read -r verdict desc; do
		case $verdict in
		PASS | FAIL | SKIP) record "$verdict" "$label" "$desc" ;;
		*) record FAIL "$label" "parse-log.py: unreadable result: $verdict $desc" ;;
		esac
	done <"$run/$label.results"
	((parse_rc == 0)) ||
		record FAIL "$label" "parse-log.py exited with status $parse_rc (see $run/$label.parse.log)"
	# The reports behind a failed gate, under the boot's label (a kernel
	# boots more than once).
	grep -E '^    (log|kmemleak): ' "$run/$label.parse.log" |
		sed "s/^    /    [$label] /" || true
	note "$label: boot and test plan done in $(elapsed $((SECONDS - start)))"
}

# Kernel arguments of a kernel's own boot.  test-6.12 runs its whole plan
# with swiotlb=force, so that DMA-API debug and KASAN watch dma_demo's
# transfers when every streaming mapping would bounce (QEMU's edu reaches
# only the low 256 MiB, the bounce pool lies above it, and dma_demo falls
# back to its coherent buffer); test-6.1 runs them with direct mappings.
# test-6.12-arm64's machine has its SMMUv3 in front of edu: kmm.iommu
# makes its plan check, as the IOMMU boots do, that the SMMU translates
# (strictly) and that dma_demo bounced nothing.
boot_args() {
	case $1 in
	test-6.12) echo swiotlb=force ;;
	test-6.12-arm64) echo iommu.strict=1 kmm.iommu ;;
	esac
}

# boots NAME: the boots planned for one kernel, "label;kernel arguments;
# IOMMU" a line (IOMMU: qemu.sh's QEMU_IOMMU, empty for none).  The stock
# kernels boot a second time with swiotlb=force for dma_demo; debian-6.12
# and test-6.12 boot once more behind QEMU's Intel IOMMU for dma_demo
# (strict invalidation: an IOVA is dead the moment it is unmapped), where
# kmm.iommu makes the plan check that the IOMMU translates and that nothing
# bounced; kmm.variant leaves out what no machine changes (bad parameters,
# load/unload loops).  kmm.only=MODULE limits a plan to one driver.
boots() {
	local name=$1 args
	args=$(boot_args "$name")
	[[ -z $only ]] || args="$args kmm.only=$only"
	((kunit_only)) && args="$args kmm.kunit_only"
	read -r args <<<"$args"
	echo "$name;$args;"
	[[ -z $only || $only == dma_demo ]] || return 0
	if ((!kunit_only)) && [[ $name == debian-* ]]; then
		echo "$name+swiotlb=force;swiotlb=force kmm.only=dma_demo kmm.probes_only;"
	fi
	case $name in
	debian-6.12 | test-6.12)
		args="intel_iommu=on iommu.strict=1 kmm.iommu kmm.variant kmm.only=dma_demo"
		((kunit_only)) && args="$args kmm.kunit_only"
		echo "$name+iommu;$args;intel"
		;;
	esac
}

# host_checks: checkpatch, sparse, the DKMS package, the harness's tests.
host_checks() {
	local start part script verdict desc rc
	for part in "harness self-tests:selftest.sh" \
		"checkpatch --strict and sparse on the kernel sources:lint.sh" \
		"DKMS package: add, build and install for Debian's 6.12 kernel:dkms-check.sh"; do
		start=$SECONDS
		script=${part##*:}
		step "${part%:*}"
		rc=0
		"$KMM_TOP/scripts/$script" "$run" >"$run/host-$script.out" || rc=$?
		((rc == 0)) || record FAIL host "$script exited with status $rc"
		while read -r verdict desc; do
			case $verdict in
			PASS | FAIL | SKIP) record "$verdict" host "$desc" ;;
			*) record FAIL host "$script: unreadable result: $verdict $desc" ;;
			esac
		done <"$run/host-$script.out"
		note "${script%.sh}: done in $(elapsed $((SECONDS - start)))"
	done
}

# check_kernel NAME: build the modules for one kernel, boot it, record.
# A boot that cannot happen gets its verdict here.
check_kernel() {
	local name=$1 start=$SECONDS obj why="" label args iommu
	eval "$(cat "$run/$name.env")"
	export ARCH # the guest's, for initramfs.sh and qemu.sh
	if obj=$("$KMM_TOP/scripts/build.sh" "$name"); then
		record PASS "$name" "modules build with W=1 and no warning"
	else
		record FAIL "$name" "modules build with W=1 and no warning"
		why="the modules did not build"
	fi
	if [[ -z $why ]] && ! "$KMM_TOP/scripts/initramfs.sh" "$obj" "$run/$name.cpio.gz" "${KMODS:-}"; then
		why="the initramfs was not made"
	fi
	while IFS=';' read -r label args iommu; do
		if [[ -n $why ]]; then
			record FAIL "$label" "$DID_NOT_RUN ($why)"
		else
			boot "$name" "$label" "$args" "$iommu"
		fi
	done < <(boots "$name")
	note "$name: done in $(elapsed $((SECONDS - start))), log: $run/$name.log"
}

# label LABEL: put LABEL on each line of a job's output that has none,
# since two jobs print at once.
label() {
	line_awk -v k="$1" '
		/^(==> |    )( *(ok|skip|FAILED) +)?\[/ { print; fflush(); next }
		/^==> / { sub(/^==> /, "==> [" k "] "); print; fflush(); next }
		{ sub(/^ */, "&[" k "] "); print; fflush() }'
}

# Events reach the scheduler below through a FIFO, a line each: "ready
# NAME" and "failed NAME" from the kernel builder, "built -" when it is
# done, "done JOB" when a job ends (however it ended).
events=$run/events
mkfifo "$events"
exec 8<>"$events"

# First the kernels that are ready without a build (Debian's, fetched in
# seconds; test kernels built by an earlier run), one at a time ...
declare -A ready=([host]=1)
to_build=()
for name in "${kernels[@]}"; do
	step "kernel $name"
	rc=0
	KMM_NO_BUILD=1 "$KMM_TOP/scripts/kernel.sh" "$name" >"$run/$name.env" || rc=$?
	case $rc in
	0) ready[$name]=1 ;;
	3) to_build+=("$name") ;;
	*) record FAIL "$name" "kernel is ready to build for and boot" ;;
	esac
done

# ... then, in the background, the test kernels to build, one at a time
# (a build uses every core): each kernel's job starts when its kernel is
# ready, so on a cold cache the stock kernels' plans run meanwhile.  The
# kernel with the shortest plan is built last, since its plan is what is
# left to wait for once the builds are done: test-6.12 (two boots, the
# IOMMU's too) first, then test-6.12-arm64, then test-6.1.
order=()
for name in test-6.12 test-6.12-arm64 test-6.1 "${to_build[@]}"; do
	[[ " ${to_build[*]} " == *" $name "* && " ${order[*]} " != *" $name "* ]] &&
		order+=("$name")
done
to_build=("${order[@]}")
building=0
if ((${#to_build[@]})); then
	building=1
	(
		(
			for name in "${to_build[@]}"; do
				step "kernel $name"
				if "$KMM_TOP/scripts/kernel.sh" "$name" >"$run/$name.env"; then
					echo "ready $name" >&8
				else
					record FAIL "$name" "kernel is ready to build for and boot"
					echo "failed $name" >&8
				fi
			done
		) 2>&1 | label build | tee -a "$run/console"
		echo "built -" >&8
	) &
fi

# The jobs, as many at once as there are cores (KMM_JOBS), one fewer while
# a kernel builds: a TCG guest running the plan keeps about one host core
# busy.  Longest first, as long as each job took in the last whole run
# (kept in the cache), so that the lanes end together; a job never timed
# counts as longest, and ties keep the order test kernels, Debian's, the
# host's checks.  Each job leaves its exit status behind: one that died is
# a failure, whatever it printed.
times=$KMM_CACHE/times
mkdir -p "$times"
pending=()
for name in "${kernels[@]}"; do [[ $name == test-* ]] && pending+=("$name"); done
for name in "${kernels[@]}"; do [[ $name == test-* ]] || pending+=("$name"); done
((host)) && pending+=(host)
mapfile -t pending < <(for job in "${pending[@]}"; do
	took=$(cat "$times/$job" 2>/dev/null) || took=
	[[ $took =~ ^[0-9]+$ ]] || took=999999
	echo "$took $job"
done | sort -s -k1,1nr | cut -d' ' -f2)
# Only the time of a whole plan that ended well is worth keeping.
keep_times=0
if [[ -z $only ]] && ((!kunit_only)); then keep_times=1; fi
mkdir -p "$run/jobs"
max_jobs=${KMM_JOBS:-$(nproc)}
jobs=()
running=0
while :; do
	left=()
	for job in "${pending[@]}"; do
		if ((running >= max_jobs - building)) || [[ -z ${ready[$job]:-} ]]; then
			left+=("$job")
			continue
		fi
		(
			(
				set +e
				start=$SECONDS
				(
					set -e
					if [[ $job == host ]]; then host_checks; else check_kernel "$job"; fi
				) 2>&1 | label "$job" | tee -a "$run/console"
				rc=${PIPESTATUS[0]}
				echo "$rc" >"$run/jobs/$job.rc"
				if ((keep_times && rc == 0)); then
					echo $((SECONDS - start)) >"$times/$job"
				fi
			)
			echo "done $job" >&8
		) &
		jobs+=("$job")
		running=$((running + 1))
	done
	pending=("${left[@]}")
	((running > 0 || building)) || break
	read -r event arg <&8
	case $event in
	ready) ready[$arg]=1 ;;
	failed) ;; # recorded; its job never becomes ready
	built) building=0 ;;
	done) running=$((running - 1)) ;;
	esac
done
wait
exec 8>&-

# What did not happen cannot pass: every job ended well, and every planned
# boot has exactly one verdict.
for job in "${jobs[@]}"; do
	rc=$(cat "$run/jobs/$job.rc" 2>/dev/null || echo "none")
	[[ $rc == 0 ]] || record FAIL "$job" "the job died (exit status $rc)"
done
for name in "${kernels[@]}"; do
	while IFS=';' read -r label _; do
		n=$(grep -cF -e "[$label] $RAN" -e "[$label] $DID_NOT_RUN" "$results") || true
		((n == 1)) || record FAIL "$label" "$DID_NOT_RUN (the boot left $n verdicts, not one)"
	done < <(boots "$name")
done

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
