# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the scripts in this directory; source it, don't run it.
# shellcheck shell=bash

KMM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KMM_CACHE=${KMM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kmm-drivers}
export KMM_TOP KMM_CACHE

# One line per step, prefixed so it stands out from tool output.
step() { printf '==> %s\n' "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The probes and tools for an x86-64 guest (and the host), in probes/;
# initramfs.sh builds arm64's itself, into the cache.
build_probes() {
	step "building the probes (probes/)"
	make -s -j"$(nproc)" -C "$KMM_TOP/probes" >/dev/null
}

# Run a long command, showing a heartbeat line every 30 s and the tail of
# its log if it fails.  Usage: with_progress LABEL LOGFILE cmd args...
with_progress() {
	local label=$1 log=$2 pid start next rc
	shift 2
	start=$SECONDS
	next=$((start + 30))
	"$@" >"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		if ((SECONDS >= next)); then
			note "$label: $((SECONDS - start)) s, $(tail -n 1 "$log" | cut -c1-90)"
			next=$((next + 30))
		fi
	done
	rc=0
	wait "$pid" || rc=$?
	if (( rc != 0 )); then
		tail -n 40 "$log" >&2
		die "$label failed (exit $rc), full log: $log"
	fi
	note "$label: done in $((SECONDS - start)) s"
}

# awk for a filter that must pass each line on as it comes (a guest's
# console): Debian's mawk reads a pipe in large blocks unless told not to.
if awk -W version 2>&1 | grep -q mawk; then
	line_awk() { awk -W interactive "$@"; }
else
	line_awk() { awk "$@"; }
fi

# Debian's packages that end up in the cache, never on the host: the
# kernels, their headers and sources, the guest's busybox.  `apt-get
# download` fetches a package without installing it, and needs no root.

# deb_version PACKAGE: the version `apt-get download PACKAGE` would fetch.
deb_version() {
	apt-cache show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1
}

# fetch_debs DIR PACKAGE[=VERSION]...: download the packages into DIR.
fetch_debs() {
	local dir=$1 opts=()
	shift
	mkdir -p "$dir"
	# As root, apt downloads as its user _apt, who cannot write to root's
	# cache; it would say so and fall back to root.  Ask for root at once.
	((EUID != 0)) || opts=(-o APT::Sandbox::User=root)
	if ! (cd "$dir" && apt-get download -q "${opts[@]}" "$@") >"$dir/download.log" 2>&1; then
		cat "$dir/download.log" >&2
		die "apt-get download $* failed (an old package index? run: sudo apt-get update)"
	fi
}

# record VERDICT LABEL DESCRIPTION: one result of `make check`, added to
# the run's results file ($KMM_RESULTS; a line written at once, so that
# jobs running side by side can share it) and shown as it is decided.
record() {
	echo "$1 [$2] $3" >>"${KMM_RESULTS:?record: KMM_RESULTS is not set}"
	case $1 in
	PASS) printf '    ok      [%s] %s\n' "$2" "$3" ;;
	SKIP) printf '    skip    [%s] %s\n' "$2" "$3" ;;
	*) printf '    FAILED  [%s] %s\n' "$2" "$3" ;;
	esac
}

# elapsed SECONDS: "12m05s", for the times `make check` prints.
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# The verdict a planned boot of `make check` ends in when it could not
# happen (parse-log.py gives the others, scripts/check.py counts them).
# shellcheck disable=SC2034 # check-kernel.sh's
KMM_DID_NOT_RUN="the test plan did not run to its end"
