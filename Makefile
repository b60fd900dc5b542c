# SPDX-License-Identifier: GPL-2.0
#
# kmm-drivers: out-of-tree modules that put the kernel's memory management
# to work.  `make` builds the modules against KDIR (the running kernel's
# headers by default) and the user-space probes; the other targets drive
# the scripts in scripts/, which set up everything they need.

KDIR ?= /lib/modules/$(shell uname -r)/build
# KERNEL=debian-6.1|debian-6.12|test-6.1|test-6.12 picks the VM's kernel
# (demo and vm: default debian-6.12; check: every kernel unless given).
kernel_arg = $(if $(filter command line environment,$(origin KERNEL)),--kernel $(KERNEL))

.PHONY: all modules probes demo vm check kunit bench install clean help

all: modules probes

modules:
	@test -d "$(KDIR)" || { echo "no kernel build tree at $(KDIR): install" \
		"linux-headers-$$(uname -r) or pass KDIR=<path>" >&2; exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

probes:
	$(MAKE) -C probes

demo:
	scripts/demo.sh

vm:
	scripts/vm.sh

check:
	scripts/check.sh $(kernel_arg)

kunit:
	scripts/check.sh --kunit-only $(kernel_arg)

bench:
	scripts/bench.sh

# modules_install puts the modules under /lib/modules/<release>/updates;
# the udev rule gives the device nodes to the system group "kmm", created
# here if it is missing (the nodes are root's alone without the rule).
install: modules
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" INSTALL_MOD_DIR=updates modules_install
	depmod -a $$($(MAKE) -s -C "$(KDIR)" kernelrelease)
	getent group kmm >/dev/null || groupadd --system kmm
	install -D -m 644 udev/60-kmm-drivers.rules /etc/udev/rules.d/60-kmm-drivers.rules

clean:
	-test -d "$(KDIR)" && $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean
	$(MAKE) -C probes clean

help:
	@echo "make            build the modules (KDIR=$(KDIR)) and the probes"
	@echo "make demo       boot a VM (KERNEL=debian-6.12) and show every module working"
	@echo "make vm         the same VM with the modules loaded, and a shell"
	@echo "make check      every test on every kernel; ends 'N passed, N failed'"
	@echo "make kunit      only the KUnit suites (KERNEL=test-6.12 or test-6.1)"
	@echo "make bench      the benchmarks"
	@echo "make install    install the modules for KDIR's kernel"
