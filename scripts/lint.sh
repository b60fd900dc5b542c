#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks: of the kernel sources, the kernel's own checkpatch.pl
# (--strict) from Debian's 6.12 source, and sparse (C=2) against each
# Debian kernel's headers, make bench's kmm_bench included; of the shell
# scripts, host and guest, shellcheck.  Prints "PASS|FAIL description"
# lines; details go to stderr.   Usage: lint.sh [WORKDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work=${1:-$(mktemp -d)}
mkdir -p "$work"
src=$("$KMM_TOP/scripts/source.sh" 6.12)
cd "$KMM_TOP"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' |
	grep -vE '^(probes|scripts)/')

# The compat header is the one place that tests LINUX_VERSION_CODE (SPEC
# section 2); checkpatch, written for code merged upstream, objects to that.
compat=include/kmm_compat.h
others=()
for f in "${files[@]}"; do [[ $f == "$compat" ]] || others+=("$f"); done
checkpatch() {
	perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types "$@"
}
rc=0
{ checkpatch -f "${others[@]}" || rc=1; } >"$work/checkpatch.log" 2>&1
{ checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$compat" || rc=1; } \
	>>"$work/checkpatch.log" 2>&1
reports=$(grep -cE ': (ERROR|WARNING|CHECK):' "$work/checkpatch.log") || true
# Both ways: checkpatch's exit status, and what it printed.
if ((rc == 0 && reports == 0)); then
	echo "PASS checkpatch --strict: ${#files[@]} files, no error, warning or check"
else
	grep -E ': (ERROR|WARNING|CHECK):' "$work/checkpatch.log" | head -30 >&2 || true
	echo "FAIL checkpatch --strict: $reports reports (exit status $rc, see $work/checkpatch.log)"
fi

for name in debian-6.1 debian-6.12; do
	eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
	obj=$work/sparse-$name
	rm -rf "$obj" && mkdir -p "$obj"
	git ls-files -co --exclude-standard -- Kbuild include '*/Kbuild' '*.c' '*.h' |
		grep -v '^probes/' | cpio -pdm --quiet "$obj"
	make -C "$KDIR" M="$obj" KMM_BENCH=m C=2 CHECK="sparse -Wno-decl" modules >"$obj/sparse.log" 2>&1 || true
	if grep -E "^$obj.*: (warning|error):" "$obj/sparse.log" >&2 ||
		! grep -q 'CHECK' "$obj/sparse.log"; then
		echo "FAIL sparse (C=2) on $name: reports or no check ran (see $obj/sparse.log)"
	else
		echo "PASS sparse (C=2) on $name: $(grep -c ' CHECK ' "$obj/sparse.log") files, no report"
	fi
done

# The shell scripts, host and guest (busybox sh), read as .shellcheckrc
# says: following the files they source.  Warnings and errors; the style
# notes are left to taste.
mapfile -t shells < <(git ls-files -co --exclude-standard -- '*.sh' .ci/run scripts/guest/init)
if shellcheck -S warning "${shells[@]}" >"$work/shellcheck.log" 2>&1; then
	echo "PASS shellcheck -S warning: ${#shells[@]} scripts, no report"
else
	head -30 "$work/shellcheck.log" >&2
	echo "FAIL shellcheck -S warning: $(grep -c '^In ' "$work/shellcheck.log") reports (see $work/shellcheck.log)"
fi
