# SPDX-License-Identifier: GPL-2.0
#
# kmm-drivers: out-of-tree modules that put the kernel's memory management
# to work.  `make` builds the modules against KDIR (the running kernel's
# headers by default) and the user-space probes; the other targets drive
# the scripts in scripts/, which set up everything they need.

KDIR ?= /lib/modules/$(shell uname -r)/build
# KERNEL=debian-6.1|debian-6.12|test-6.1|test-6.12|test-6.12-arm64 picks the VM's kernel
# (demo and vm: default debian-6.12; check: every kernel unless given).
kernel_arg = $(if $(filter command line environment,$(origin KERNEL)),--kernel $(KERNEL))
# CHECK_ARGS: more of scripts/check.sh's options for make check, say
# CHECK_ARGS=--host with KERNEL=debian-6.12 (the host's checks and one kernel).
CHECK_ARGS ?=
# Where the scripts keep what they fetch and build (as scripts/lib.sh).
KMM_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/kmm-drivers
# The VM's commands fail if they changed the host's /boot, boot loader or
# kernel packages (scripts/host-state.sh).  The tools a command needs are
# installed first, outside the guard: installing dkms creates
# /var/lib/dkms, which is the dependency step's doing, not the command's.
guard = scripts/host-state.sh guard
deps = scripts/deps.sh

.PHONY: all modules probes demo vm check kunit bench install clean distclean help

all: modules probes

modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at $(KDIR): install" \
		"linux-headers-$$(uname -r) or pass KDIR=<path>" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

probes:
	$(MAKE) -C probes

demo:
	$(deps) demo
	$(guard) scripts/demo.sh

vm:
	$(deps) vm
	$(guard) scripts/vm.sh

check:
	$(deps) check
	$(guard) scripts/check.sh $(kernel_arg) $(CHECK_ARGS)

kunit:
	$(deps) check
	$(guard) scripts/check.sh --kunit-only $(kernel_arg)

bench:
	$(deps) bench
	$(guard) scripts/bench.sh

# The README's commands on a fresh Debian 12 machine: a minimal one
# bootstrapped into the cache (root: debootstrap, chroot) runs make demo
# and make check on the host's checks and debian-6.12, on a clone of HEAD.
.PHONY: fresh
fresh:
	scripts/fresh.sh

# modules_install puts the modules under /lib/modules/<release>/updates;
# the udev rule gives the device nodes to the system group "kmm", created
# here if it is missing (the nodes are root's alone without the rule).
install: modules
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_DIR=updates modules_install
	depmod -a $$($(MAKE) -s -C "$(KDIR)" kernelrelease)
	getent group kmm >/dev/null || groupadd --system kmm
	install -D -m 644 udev/60-kmm-drivers.rules /etc/udev/rules.d/60-kmm-drivers.rules

# The tree as cloned: what kbuild, the probes' Makefile, make demo and
# make bench leave in it, whichever kernel the modules were built for.
clean:
	$(MAKE) -C probes clean
	find . -path ./.git -prune -o -type f \( -name '*.o' -o -name '*.ko' \
		-o -name '*.mod' -o -name '*.mod.c' -o -name '*.cmd' -o -name '*.d' \
		-o -name '*.symtypes' -o -name '*.dwo' -o -name Module.symvers \
		-o -name modules.order -o -name .cache.mk \) -print0 | xargs -0 rm -f
	rm -rf .tmp_versions demo-output bench-output

# ... and the cache: Debian's kernels, headers and sources, the test
# kernels, every run's logs (docs/testing.md says how big it gets).  Shared by
# every clone of this user: the test kernels take 20 minutes to rebuild.
distclean: clean
	@case "$(KMM_CACHE)" in "" | / | "$(HOME)" | "$(HOME)/") \
		echo "refusing to remove KMM_CACHE=$(KMM_CACHE)" >&2; exit 1 ;; esac
	@if [ -d "$(KMM_CACHE)" ]; then \
		echo "removing $(KMM_CACHE) ($$(du -sh "$(KMM_CACHE)" | cut -f1))"; \
		rm -rf "$(KMM_CACHE)"; \
	fi

help:
	@echo "make            build the modules (KDIR=$(KDIR)) and the probes"
	@echo "make demo       boot a VM (KERNEL=debian-6.12) and show every module working"
	@echo "make vm         the same VM with the modules loaded, and a shell"
	@echo "make check      every test on every kernel; ends 'N passed, N failed'"
	@echo "make kunit      only the KUnit suites (KERNEL=test-6.12 or test-6.1)"
	@echo "make bench      the benchmarks"
	@echo "make fresh      make demo and a make check (host, debian-6.12) on a fresh Debian 12 (root)"
	@echo "make install    install the modules for KDIR's kernel"
	@echo "make clean      remove what the builds left in the tree"
	@echo "make distclean  also remove the cache, $(KMM_CACHE)"
