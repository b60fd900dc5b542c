# SPDX-License-Identifier: GPL-2.0
# TAP for the shell probes; sourced: . "$(dirname "$0")/tap.sh"
# shellcheck shell=sh

tap_n=0
tap_failed=0

# ok STATUS DESCRIPTION: one TAP line, from a command's exit status.
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n $2"
	else
		echo "not ok $tap_n $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# The probe's exit status: non-zero if any case failed.
tap_exit() {
	exit $((tap_failed != 0))
}
