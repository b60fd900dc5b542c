#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests, on the host (scripts/tests/): the log parser
# fed truncated, interleaved and garbled logs, the manifest check fed
# runs that differ from their manifest, make check's scheduler, and make
# bench's report fed runs whose goals must miss; and qemu.sh's x86 guest
# against the kernel's text patching.  Prints "PASS|FAIL description"
# lines; exits non-zero if a test failed.   Usage: selftest.sh [WORKDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$("$KMM_TOP/scripts/source.sh" 6.12)
rc=0
python3 "$KMM_TOP/scripts/tests/parse-log-test.py" "$src" || rc=1
python3 "$KMM_TOP/scripts/tests/manifest-test.py" || rc=1
python3 "$KMM_TOP/scripts/tests/check-test.py" || rc=1
python3 "$KMM_TOP/scripts/tests/bench-report-test.py" || rc=1
"$KMM_TOP/scripts/tests/tcg-test.sh" 300 ${1:+"$1"} || rc=1
exit $rc
