#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# `make fresh`: the README's commands on a fresh Debian 12 machine.  The
# machine is a minimal Debian 12 (debootstrap's minbase, from the host's
# Debian mirror) in the cache, started afresh from the bootstrapped tree
# (kept as a tarball) every run, with a cache of its own: what the host has
# installed or fetched cannot hide what a newcomer's machine lacks.  In it,
# as root, as the README says: `apt-get install git make`, a clone of this
# checkout's HEAD (committed files only), `make demo`, then `make check`
# narrowed to the host's checks and one kernel.  Exits non-zero if either
# make fails; ends with both exit codes and times.
#
# Root only (debootstrap, chroot, mount).  The machine's mounts (proc, sys,
# dev, dev/pts, dev/shm) live in a mount namespace of this script's own and
# are undone on exit; the tree is left in the cache to look at, and removed
# by the next run, in the background.  Remove fresh/pristine.tar.gz to
# bootstrap anew.
#   Usage: fresh.sh          (KMM_FRESH_MIRROR=URL: another Debian mirror)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# The kernel of the narrowed check (its host checks and this one kernel).
kernel=debian-6.12
suite=bookworm

# debootstrap is the one host tool this needs, installed as deps.sh does.
if ! dpkg-query -W -f='${Status}' debootstrap 2>/dev/null | grep -q 'ok installed'; then
	if ((EUID != 0)); then
		printf 'error: make fresh needs debootstrap; install it with\n' >&2
		printf '    sudo apt-get install --no-install-recommends debootstrap\n' >&2
		exit 1
	fi
	step "installing debootstrap"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap |
		grep -E '^(Setting up|Unpacking) ' | sed 's/^/    /' >&2 || true
	command -v debootstrap >/dev/null || die "could not install debootstrap"
fi
((EUID == 0)) || die "make fresh runs debootstrap, chroot and mount: run it as root"

# Everything below in a mount namespace of its own: the machine's mounts
# never show on the host, nor propagate to its /dev, and go with the last
# process of the run, however it ends.
[[ -n ${KMM_FRESH_NS:-} ]] || KMM_FRESH_NS=1 exec unshare --mount --propagation private "$0" "$@"

fresh=$(realpath -m "$KMM_CACHE/fresh")
root=$fresh/root
pristine=$fresh/pristine.tar.gz
logs=$fresh/logs
mkdir -p "$fresh" "$logs"

elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
t0=$SECONDS

# One run at a time: a second would remove the first's machine.
exec 9>"$fresh/lock"
flock -n 9 || die "another make fresh is running (lock: $fresh/lock)"

# mounts_under DIR: the mount points at or below DIR.
mounts_under() {
	awk -v d="$1" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo
}
left=$(mounts_under "$fresh")
[[ -z $left ]] || die "still mounted from before, under $fresh: ${left//$'\n'/ } (umount them first)"

# The host's Debian mirror for the suite, from its package index as
# foreign.sh finds it ("500 http://deb.debian.org/debian bookworm/main amd64
# Packages", then its release line, o=Debian).
mirror=${KMM_FRESH_MIRROR:-$(apt-cache policy | awk -v s="$suite" '
	$3 == s "/main" && $5 == "Packages" { uri = $2; next }
	uri && /release .*o=Debian(,|$)/ { print uri; exit }
	{ uri = "" }')}
[[ -n $mirror ]] || die "no Debian $suite mirror in the host's package index (run: apt-get update, or set KMM_FRESH_MIRROR)"

# The pristine machine: bootstrapped once, then unpacked for every run.
if [[ ! -f $pristine ]]; then
	step "bootstrapping a minimal Debian 12 ($suite, minbase) from $mirror"
	rm -rf --one-file-system "$fresh/bootstrap"
	with_progress debootstrap "$logs/debootstrap.log" \
		debootstrap --variant=minbase "$suite" "$fresh/bootstrap" "$mirror"
	tar -C "$fresh/bootstrap" --numeric-owner -czpf "$pristine.tmp" .
	mv "$pristine.tmp" "$pristine"
	rm -rf --one-file-system "$fresh/bootstrap"
	note "kept as $pristine ($(du -h "$pristine" | cut -f1))"
fi
# The last run's machine (and what a killed run left) goes aside at once
# and is removed while this run goes on: its kernel sources and builds
# take minutes to delete.
old=()
for d in "$root" "$fresh"/old.*; do
	[[ -e $d ]] || continue
	if [[ $d == "$root" ]]; then
		d=$(mktemp -d "$fresh/old.XXXX")
		mv "$root" "$d/"
	fi
	old+=("$d")
done
rm_pid=""
if ((${#old[@]})); then
	note "removing the last run's machine in the background"
	nice rm -rf --one-file-system "${old[@]}" &
	rm_pid=$!
fi
step "unpacking the pristine machine into $root"
start=$SECONDS
mkdir -p "$root"
tar -C "$root" --numeric-owner -xzpf "$pristine"
note "done in $(elapsed $((SECONDS - start)))"

# What a machine on this network has: the host's resolver and Debian
# sources in place of debootstrap's one line.
cp -L /etc/resolv.conf "$root/etc/resolv.conf"
rm -f "$root/etc/apt/sources.list" "$root"/etc/apt/sources.list.d/*
[[ ! -f /etc/apt/sources.list ]] || cp /etc/apt/sources.list "$root/etc/apt/"
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[[ ! -f $f ]] || cp "$f" "$root/etc/apt/sources.list.d/"
done

# The checkout as a clone has it: HEAD's commits only (the branch too, so
# the clone is on it), in a bundle the machine clones from.
refs=(HEAD)
branch=$(git -C "$KMM_TOP" symbolic-ref -q HEAD) && refs+=("$branch")
git -C "$KMM_TOP" bundle create -q "$root/tmp/kmm-drivers.bundle" "${refs[@]}"

mounted=()
# Processes still running in the machine, then its mounts, innermost first.
cleanup() {
	local p i
	for p in /proc/[0-9]*; do
		[[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] || continue
		note "left running in the machine: ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | cut -c1-80); killing it"
		kill "${p#/proc/}" 2>/dev/null || true
	done
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
			note "could not unmount ${mounted[i]}"
	done
	mounted=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# mnt DIR mount-arguments...: mount on the machine's DIR, undone by cleanup.
mnt() {
	local dir=$root/$1
	shift
	mkdir -p "$dir"
	mount "$@" "$dir"
	mounted+=("$dir")
}
mnt proc -t proc proc
mnt sys -t sysfs sysfs
mnt dev --bind /dev
mnt dev/pts --bind /dev/pts
mnt dev/shm -t tmpfs -o mode=1777,nosuid,nodev shm

# in_machine COMMAND: COMMAND in root's login shell on the machine, in
# /root, with nothing of this environment (no KMM_CACHE, XDG_*, MAKEFLAGS).
in_machine() {
	chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash \
		TERM=dumb /bin/bash -lc "cd /root && $1" </dev/null
}

# run NAME COMMAND: run it in the machine, its output as it comes (and in
# logs/NAME.log); sets rc and took.
run() {
	local name=$1 cmd=$2 start=$SECONDS
	step "on the fresh machine: $cmd"
	rc=0
	in_machine "$cmd" 2>&1 | tee "$logs/$name.log" | sed -u 's/^/[fresh] /' || rc=${PIPESTATUS[0]}
	took=$(elapsed $((SECONDS - start)))
	note "$cmd: exit $rc after $took"
}

# Setting up the machine, as a newcomer would: the installer leaves a
# current package index; then the README's one line (root has no sudo).
run apt-update "apt-get update"
((rc == 0)) || die "apt-get update failed on the fresh machine"
run install "DEBIAN_FRONTEND=noninteractive apt-get install -y git make"
((rc == 0)) || die "apt-get install git make failed on the fresh machine"
run clone "git clone /tmp/kmm-drivers.bundle kmm-drivers && git -C kmm-drivers log --oneline -1"
((rc == 0)) || die "git clone failed on the fresh machine"

run demo "cd kmm-drivers && make demo"
demo_rc=$rc demo_took=$took

# `make check` as the README runs it (deps.sh check, then check.sh inside
# the host-state guard), narrowed by the Makefile's check.sh arguments:
# first, make's dry run must show them reaching check.sh.
check_cmd="cd kmm-drivers && make check KERNEL=$kernel CHECK_ARGS=--host"
dry=$(in_machine "${check_cmd/make check/make -n check}" 2>&1) || true
grep -qx "scripts/host-state.sh guard scripts/check.sh --kernel $kernel --host" <<<"$dry" ||
	die "make check no longer passes KERNEL and CHECK_ARGS to check.sh; its dry run: $dry"
run check "$check_cmd"
check_rc=$rc check_took=$took
result=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$logs/check.log" | tail -n 1 || true)

[[ -z $rm_pid ]] || wait "$rm_pid" || note "could not remove all of ${old[*]}"

step "summary: a fresh Debian 12 ($suite minbase), the clone at $(git -C "$root/root/kmm-drivers" log --format='%h %s' -1 | cut -c1-60)"
note "make demo: exit $demo_rc, $demo_took"
note "make check (--host --kernel $kernel): exit $check_rc, $check_took${result:+, \"$result\"}"
note "the whole run: $(elapsed $((SECONDS - t0))); logs: $logs; the machine: $root"
((demo_rc == 0 && check_rc == 0))
