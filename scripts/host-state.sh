#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What the project's commands must leave as they found it on the host:
# /boot, the boot loader's configuration, the kernel packages dpkg knows,
# the kernels' module trees under /lib/modules, /usr/src and DKMS's tree.
#   host-state.sh print          print the fingerprint
#   host-state.sh guard CMD...   run CMD, then fail loudly if it changed
# (`make demo`, `vm`, `check` and `bench` run inside the guard.)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Each part says what it found, or that it is absent: no package of a
# kind, no /var/lib/dkms, are states to compare like any other.
fingerprint() {
	local f d
	echo "# /boot: every file, its size, time and mode"
	find /boot -printf '%p %y %s %T@ %m %l\n' 2>&1 | sort || true
	echo "# the boot loader's configuration"
	for f in /boot/grub/grub.cfg /boot/efi/EFI/*/grub.cfg /etc/default/grub /etc/default/grub.d/*; do
		[[ -f $f ]] || continue
		if [[ -r $f ]]; then sha256sum "$f"; else echo "$f unreadable"; fi
	done
	# Only packages with files on the host: dpkg also keeps records of
	# packages that are not installed ("un"), and makes one for each name
	# another package merely mentions (dkms names linux-headers-*), which
	# also silences its "no packages found" for that pattern.  Neither is
	# a change to the host.
	echo "# kernel packages"
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' \
		'linux-image*' 'linux-headers*' 'linux-kbuild*' 'linux-source*' 2>/dev/null |
		grep -v '^un ' | sort || true
	echo "# module trees, kernel sources, DKMS"
	for d in /lib/modules /usr/src /var/lib/dkms; do
		if [[ -d $d ]]; then
			find "$d" -maxdepth 2 -printf '%p %y\n' 2>&1 | sort || true
		else
			echo "$d absent"
		fi
	done
}

case ${1:-} in
print)
	fingerprint
	;;
guard)
	shift
	(($#)) || die "usage: host-state.sh guard CMD..."
	before=$(mktemp)
	trap 'rm -f "$before"' EXIT
	fingerprint >"$before"
	rc=0
	"$@" || rc=$?
	if ! fingerprint | diff -u --label before --label after "$before" - >&2; then
		die "'$*' changed the host (above: - before, + after); /boot, the boot loader," \
			"the kernel packages, /lib/modules, /usr/src and /var/lib/dkms must stay as they were"
	fi
	exit "$rc"
	;;
*)
	die "usage: host-state.sh print | guard CMD..."
	;;
esac
