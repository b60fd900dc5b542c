#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The host's job in `make check` (scripts/check.py runs it): the harness's
# own tests, checkpatch, kernel-doc, coccicheck and sparse, the DKMS
# package.  Results go to the
# run's results file (KMM_RESULTS) as they are decided.
#   Usage: check-host.sh RUN
set -euo pipefail
. "$(dirname "$0")/lib.sh"

run=${1:?usage: check-host.sh RUN}
export KMM_RESULTS=${KMM_RESULTS:-$run/results}

for part in "harness self-tests:selftest.sh" \
	"checkpatch --strict, kernel-doc, coccicheck and sparse on the kernel sources, shellcheck:lint.sh" \
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
