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

fingerprint() {
	local f
	echo "# /boot: every file, its size, time and mode"
	find /boot -printf '%p %y %s %T@ %m %l\n' 2>&1 | sort
	echo "# the boot loader's configuration"
	for f in /boot/grub/grub.cfg /boot/efi/EFI/*/grub.cfg /etc/default/grub /etc/default/grub.d/*; do
		[[ -f $f ]] || continue
		if [[ -r $f ]]; then sha256sum "$f"; else echo "$f unreadable"; fi
	done
	echo "# kernel packages"
	dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' \
		'linux-image*' 'linux-headers*' 'linux-kbuild*' 'linux-source*' 2>/dev/null | sort
	echo "# module trees, kernel sources, DKMS"
	find /lib/modules -maxdepth 2 -printf '%p %y\n' 2>&1 | sort
	find /usr/src /var/lib/dkms -maxdepth 1 -printf '%p %y\n' 2>&1 | sort
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
