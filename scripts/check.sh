#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test on every kernel of SPEC section 2.
#
# For each kernel: build the modules with W=1 (a warning fails), boot the
# VM, run the guest plan (probes, KUnit, leak checks, kernel log), and turn
# its console log into results.  Prints every case as it is decided and
# ends with one line: "N passed, N failed[, N skipped]".
#
#   check.sh [--kernel NAME]... [--kunit-only]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kernels=()
kunit_only=0
while (($#)); do
	case $1 in
	--kernel) kernels+=("$2"); shift ;;
	--kunit-only) kunit_only=1 ;;
	*) die "usage: check.sh [--kernel NAME]... [--kunit-only]" ;;
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

if ((!kunit_only)); then
	step "checkpatch --strict and sparse on the kernel sources"
	"$KMM_TOP/scripts/lint.sh" "$run" | while read -r verdict desc; do
		record "$verdict" host "$desc"
	done
fi

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

for name in "${kernels[@]}"; do
	start=$SECONDS
	step "kernel $name"
	if ! env=$("$KMM_TOP/scripts/kernel.sh" "$name"); then
		record FAIL "$name" "kernel is ready to build for and boot"
		continue
	fi
	eval "$env"

	if obj=$("$KMM_TOP/scripts/build.sh" "$name"); then
		record PASS "$name" "modules build with W=1 and no warning"
	else
		record FAIL "$name" "modules build with W=1 and no warning"
		continue
	fi
	"$KMM_TOP/scripts/initramfs.sh" "$obj" "$run/$name.cpio.gz"

	extra=""
	((kunit_only)) && extra="kmm.kunit_only"
	step "booting $name under QEMU (TCG) and running the test plan"
	timeout 2400 "$KMM_TOP/scripts/qemu.sh" "$BZIMAGE" "$run/$name.cpio.gz" check $extra 2>&1 |
		tr -d '\r' | tee "$run/$name.log" | show_console "$name" || true

	"$KMM_TOP/scripts/parse-log.py" "$run/$name.log" "$SRC" "$run" 2>"$run/$name.parse.log" |
		while read -r verdict desc; do
			record "$verdict" "$name" "$desc"
		done
	grep -E '^    (log|kmemleak): ' "$run/$name.parse.log" || true
	note "$name: done in $(elapsed $((SECONDS - start))), log: $run/$name.log"
done

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
