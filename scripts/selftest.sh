#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The harness's own tests, on the host: the console-log parser fed
# truncated, interleaved and garbled logs (scripts/tests/).  Prints
# "PASS|FAIL description" lines.   Usage: selftest.sh [WORKDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

src=$("$KMM_TOP/scripts/source.sh" 6.12)
python3 "$KMM_TOP/scripts/tests/parse-log-test.py" "$src"
