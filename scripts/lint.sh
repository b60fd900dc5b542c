#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks: of the kernel sources, the kernel's own checkpatch.pl
# (--strict), kernel-doc (-Wall) and coccicheck (Coccinelle, MODE=report)
# from Debian's 6.12 source, and sparse (C=2) against each Debian
# kernel's headers, make bench's kmm_bench included; of the shell
# scripts, host and guest, shellcheck.  Prints "PASS|FAIL description"
# lines; details go to stderr.   Usage: lint.sh [WORKDIR]
set -euo pipefail
. "$(dirname "$0")/lib.sh"

work=${1:-$(mktemp -d)}
mkdir -p "$work"
: >"$work/lint.out"
# verdict LINE: a PASS or FAIL line, printed and kept for the cache.
verdict() {
	echo "$*"
	echo "$*" >>"$work/lint.out"
}
src=$("$KMM_TOP/scripts/source.sh" 6.12)
cd "$KMM_TOP"
mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' |
	grep -vE '^(probes|scripts)/')

# Static checks give the same verdicts for the same inputs: a lint in
# which every check passed is remembered under the hash of what it read
# (every file of the checkout, the kernel trees it checks against, the
# tools' versions) and, asked again with nothing changed, repeated as
# such, saying so.  A failure is never remembered.
kdirs=$(for name in debian-6.1 debian-6.12; do
	eval "$("$KMM_TOP/scripts/kernel.sh" "$name")"
	echo "$KDIR"
done)
key=$({
	git ls-files -z -co --exclude-standard | xargs -0 sha256sum
	echo "$src $kdirs"
	perl -e 'print "$^V\n"'
	sparse --version
	spatch --version | head -n 1
	shellcheck --version
} | sha256sum | cut -c1-16)
passed=$KMM_CACHE/lint/$key
if [[ -s $passed ]]; then
	note "lint: the same inputs passed on $(date -r "$passed" '+%F %R') (cache $passed)"
	sed 's/$/ (inputs unchanged since that pass)/' "$passed"
	exit 0
fi

# The compat header is the one place that tests LINUX_VERSION_CODE
# (docs/design.md, "Layout"); checkpatch, written for code merged
# upstream, objects to that.
compat=include/kmm_compat.h
# */*_trace.h: TRACE_EVENT()'s layout, as include/trace/events/ has it, reads as open-ended C.
traces=()
others=()
for f in "${files[@]}"; do
	case $f in
	"$compat") ;;
	*/*_trace.h) traces+=("$f") ;;
	*) others+=("$f") ;;
	esac
done
checkpatch() {
	perl "$src/scripts/checkpatch.pl" --no-tree --strict --terse --show-types "$@"
}
rc=0
{ checkpatch -f "${others[@]}" || rc=1; } >"$work/checkpatch.log" 2>&1
{ checkpatch --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$compat" || rc=1; } \
	>>"$work/checkpatch.log" 2>&1
{ checkpatch --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT -f "${traces[@]}" || rc=1; } \
	>>"$work/checkpatch.log" 2>&1
reports=$(grep -cE ': (ERROR|WARNING|CHECK):' "$work/checkpatch.log") || true
# Both ways: checkpatch's exit status, and what it printed.
if ((rc == 0 && reports == 0)); then
	verdict "PASS checkpatch --strict: ${#files[@]} files, no error, warning or check"
else
	grep -E ': (ERROR|WARNING|CHECK):' "$work/checkpatch.log" | head -30 >&2 || true
	verdict "FAIL checkpatch --strict: $reports reports (exit status $rc, see $work/checkpatch.log)"
fi

# Every kernel-doc comment ("/**"), the probes' too, read as the
# kernel's W=1 build reads its own, and warned about with -Wall (a
# missing Return: section, a short description).
mapfile -t docs < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | grep -v '^scripts/' |
	xargs grep -l '^[[:space:]]*/\*\*\([[:space:]]\|$\)')
rc=0
perl "$src/scripts/kernel-doc" -none -Wall -Werror "${docs[@]}" >"$work/kernel-doc.log" 2>&1 || rc=$?
reports=$(grep -cE ': (warning|error):' "$work/kernel-doc.log") || true
if ((rc == 0 && reports == 0)); then
	verdict "PASS kernel-doc: -none -Wall on ${#docs[@]} files with kernel-doc comments, no warning"
else
	grep -E ': (warning|error):' "$work/kernel-doc.log" | head -30 >&2 || true
	verdict "FAIL kernel-doc: $reports warnings (exit status $rc): $(grep -m 1 -E ': (warning|error):' \
		"$work/kernel-doc.log" | cut -c1-160) (all in $work/kernel-doc.log)"
fi

# The kernel's coccicheck, as `make M=DIR coccicheck MODE=report` runs it
# for an external module: every script of 6.12's scripts/coccinelle/,
# once, over a copy holding the kernel sources of every module directory
# (scullp, vmalloc_demo, mmap_demo, dma_demo, kunit, bench, include), so
# that no generated file (*.mod.c) is read.  The unpacked tree needs no configuration for it;
# O= keeps the scratch directories of spatch's parallel jobs out of the
# shared tree.  --python: Debian's spatch is built for Debian's python3,
# and asking PATH for one (a pyenv shim, say) costs a second a script.
cocci=$work/coccicheck
rm -rf "$cocci" && mkdir -p "$cocci/src" "$cocci/obj"
printf '%s\n' "${files[@]}" | cpio -pdm --quiet "$cocci/src"
scripts=$(find "$src/scripts/coccinelle" -name '*.cocci' | wc -l)
start=$SECONDS
make -C "$src" O="$cocci/obj" M="$cocci/src" coccicheck MODE=report COCCI= V=0 \
	DEBUG_FILE= SPFLAGS="--python /usr/bin/python3" >"$cocci/coccicheck.log" 2>&1 &
pid=$!
next=$((start + 20))
while kill -0 "$pid" 2>/dev/null; do
	sleep 1
	if ((SECONDS >= next)); then
		note "coccicheck: $(grep -c -- '--cocci-file' "$cocci/coccicheck.log") of $scripts scripts, $((SECONDS - start)) s"
		next=$((next + 20))
	fi
done
rc=0
wait "$pid" || rc=$?
ran=$(grep -c -- '--cocci-file' "$cocci/coccicheck.log") || true
# A report names a file of the copy: "$cocci/src/DIR/FILE:LINE:COLS: ...",
# shown as DIR/FILE.
awk -v copy="$cocci/src/" 'index($0, copy) == 1 { print substr($0, length(copy) + 1) }' \
	"$cocci/coccicheck.log" >"$cocci/reports"
reports=$(wc -l <"$cocci/reports")
note "coccicheck: $ran scripts over ${#files[@]} files in $((SECONDS - start)) s"
if ((rc == 0 && reports == 0 && ran == scripts)); then
	verdict "PASS coccicheck: MODE=report, all $scripts scripts of 6.12 over ${#files[@]} files, no report"
else
	head -30 "$cocci/reports" >&2
	grep -E '^Skipping' "$cocci/coccicheck.log" >&2 || true
	((rc == 0)) || grep -vE '^make(\[[0-9]+\])?: ' "$cocci/coccicheck.log" | tail -n 5 >&2
	verdict "FAIL coccicheck: $reports reports, $ran of $scripts scripts ran (exit status $rc)$(
		((reports == 0)) || echo ": $(head -n 1 "$cocci/reports" | cut -c1-160)") (all in $cocci/coccicheck.log)"
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
		verdict "FAIL sparse (C=2) on $name: reports or no check ran (see $obj/sparse.log)"
	else
		verdict "PASS sparse (C=2) on $name: $(grep -c ' CHECK ' "$obj/sparse.log") files, no report"
	fi
done

# The shell scripts, host and guest (busybox sh), read as .shellcheckrc
# says: following the files they source.  Warnings and errors; the style
# notes are left to taste.
mapfile -t shells < <(git ls-files -co --exclude-standard -- '*.sh' .ci/run scripts/guest/init)
if shellcheck -S warning "${shells[@]}" >"$work/shellcheck.log" 2>&1; then
	verdict "PASS shellcheck -S warning: ${#shells[@]} scripts, no report"
else
	head -30 "$work/shellcheck.log" >&2
	verdict "FAIL shellcheck -S warning: $(grep -c '^In ' "$work/shellcheck.log") reports (see $work/shellcheck.log)"
fi

# Remember a clean pass (above).
if ! grep -qv '^PASS ' "$work/lint.out"; then
	mkdir -p "$(dirname "$passed")"
	cp "$work/lint.out" "$passed.tmp" && mv "$passed.tmp" "$passed"
fi
